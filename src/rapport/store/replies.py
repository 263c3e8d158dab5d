"""The reply outbox: a reply is written as "sending" before it leaves, and finished as sent,
failed or unknown after; a key seen before returns the earlier reply instead of a new one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from rapport.errors import InputError, NotFound
from rapport.store import schema
from rapport.store.rows import as_utc


def reply_target(conn: sa.Connection, case_id: int) -> dict[str, Any]:
    """What a reply to this case answers: the customer's newest post in it."""
    cases, links, posts = schema.cases, schema.case_posts, schema.posts
    case = conn.execute(sa.select(cases).where(cases.c.id == case_id)).first()
    if case is None:
        raise NotFound(f"no case with id {case_id}")
    if case.status == "resolved":
        raise InputError(f"case {case_id} is resolved; reopen it before replying")
    latest = conn.execute(
        sa.select(posts.c.source_id, posts.c.conversation_id)
        .select_from(links.join(posts, posts.c.id == links.c.post_id))
        .where(links.c.case_id == case_id, links.c.role == "message")
        .order_by(posts.c.created_at.desc(), posts.c.id.desc())
        .limit(1)
    ).one()
    return {
        "case_id": case_id,
        "tenant": case.tenant,
        "network": case.network,
        "customer_id": case.customer_id,
        "customer_handle": case.customer_handle,
        "lang": case.lang,
        "in_reply_to": latest.source_id,
        "conversation_id": latest.conversation_id,
    }


def begin_reply(
    conn: sa.Connection,
    target: dict[str, Any],
    *,
    text: str,
    private: bool,
    key: str,
    user_id: int | None,
    at: datetime,
) -> tuple[int, dict[str, Any] | None]:
    """(reply id, the earlier reply if this key was used before)."""
    replies = schema.replies
    earlier = conn.execute(sa.select(replies).where(replies.c.idempotency_key == key)).first()
    if earlier is not None:
        return int(earlier.id), reply_from_row(earlier)
    inserted = conn.execute(
        sa.insert(replies).returning(replies.c.id),
        {
            "case_id": target["case_id"], "tenant": target["tenant"], "user_id": user_id,
            "network": target["network"], "in_reply_to": target["in_reply_to"], "text": text,
            "private": private, "status": "sending", "idempotency_key": key, "created_at": at,
        },
    )  # fmt: skip
    return int(inserted.scalar_one()), None


def finish_reply(
    conn: sa.Connection,
    reply_id: int,
    *,
    status: str,
    message_id: str | None = None,
    error: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    replies = schema.replies
    conn.execute(
        sa.update(replies)
        .where(replies.c.id == reply_id)
        .values(status=status, message_id=message_id, error=error, sent_at=at)
    )
    return reply_from_row(conn.execute(sa.select(replies).where(replies.c.id == reply_id)).one())


def replies_of(conn: sa.Connection, case_id: int) -> list[dict[str, Any]]:
    replies = schema.replies
    query = sa.select(replies).where(replies.c.case_id == case_id).order_by(replies.c.id)
    return [reply_from_row(row) for row in conn.execute(query)]


def reply_from_row(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    data["private"] = bool(data["private"])
    data["created_at"] = as_utc(data["created_at"])
    data["sent_at"] = as_utc(data["sent_at"])
    return data
