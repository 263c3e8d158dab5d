"""The reply outbox: a reply is written as "sending" (or held for approval) before it
leaves, and finished as sent, failed or unknown after; a key seen before returns the earlier
reply instead of a new one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from rapport.errors import Conflict, NotFound
from rapport.records.replies import HeldReply, Reply, ReplyTarget
from rapport.store import schema
from rapport.store.rows import as_utc


def reply_target(conn: sa.Connection, case_id: int, tenant: str | None = None) -> ReplyTarget:
    """What a reply to this case answers: the customer's newest post in it. NotFound when
    the case is missing or another `tenant`'s; Conflict when it is resolved."""
    cases, links, posts = schema.cases, schema.case_posts, schema.posts
    case = conn.execute(sa.select(cases).where(cases.c.id == case_id)).first()
    if case is None or (tenant is not None and case.tenant != tenant):
        raise NotFound(f"no case with id {case_id}")
    if case.status == "resolved":
        raise Conflict(f"case {case_id} is resolved; reopen it before replying")
    latest = conn.execute(
        sa.select(posts.c.source_id, posts.c.conversation_id)
        .select_from(links.join(posts, posts.c.id == links.c.post_id))
        .where(links.c.case_id == case_id, links.c.role == "message")
        .order_by(posts.c.created_at.desc(), posts.c.id.desc())
        .limit(1)
    ).one()
    return ReplyTarget(
        case_id=case_id, tenant=case.tenant, team=case.team, network=case.network,
        customer_id=case.customer_id, customer_handle=case.customer_handle, lang=case.lang,
        in_reply_to=latest.source_id, conversation_id=latest.conversation_id,
    )  # fmt: skip


def begin_reply(
    conn: sa.Connection,
    target: ReplyTarget,
    *,
    text: str,
    private: bool,
    key: str,
    user_id: int | None,
    at: datetime,
    status: str = "sending",
) -> tuple[Reply, bool]:
    """Write the reply under its idempotency key with `status`; (the reply, True) when it
    is new, (the earlier reply, False) when the key was used before."""
    replies = schema.replies
    earlier = conn.execute(sa.select(replies).where(replies.c.idempotency_key == key)).first()
    if earlier is not None:
        return reply_from_row(earlier), False
    inserted = conn.execute(
        sa.insert(replies).returning(replies.c.id),
        {
            "case_id": target.case_id, "tenant": target.tenant, "user_id": user_id,
            "network": target.network, "in_reply_to": target.in_reply_to, "text": text,
            "private": private, "status": status, "idempotency_key": key, "created_at": at,
        },
    )  # fmt: skip
    return get_reply(conn, int(inserted.scalar_one())), True


def finish_reply(
    conn: sa.Connection,
    reply_id: int,
    *,
    status: str,
    message_id: str | None = None,
    error: str | None = None,
    at: datetime | None = None,
) -> Reply:
    replies = schema.replies
    conn.execute(
        sa.update(replies)
        .where(replies.c.id == reply_id)
        .values(status=status, message_id=message_id, error=error, sent_at=at)
    )
    return get_reply(conn, reply_id)


def take_pending(
    conn: sa.Connection, reply_id: int, tenant: str, status: str, **values: Any
) -> Reply:
    """Move a pending reply on to `status`; conditional on it still pending, so a reply is
    approved (and sent) once even when two supervisors click at the same moment."""
    replies = schema.replies
    done = conn.execute(
        sa.update(replies)
        .where(
            replies.c.id == reply_id,
            replies.c.tenant == tenant,
            replies.c.status == "pending_approval",
        )
        .values(status=status, **values)
    )
    row = conn.execute(
        sa.select(replies).where(replies.c.id == reply_id, replies.c.tenant == tenant)
    ).first()
    if row is None:
        raise NotFound(f"no reply with id {reply_id}")
    if done.rowcount != 1:
        raise Conflict(f"reply {reply_id} is {row.status}, not waiting for approval")
    return reply_from_row(row)


def await_customer(conn: sa.Connection, case_id: int, at: datetime) -> None:
    """An open case that was answered waits on its customer (pending) until they write."""
    cases = schema.cases
    conn.execute(
        sa.update(cases)
        .where(cases.c.id == case_id, cases.c.status == "open")
        .values(status="pending", updated_at=at)
    )


def pending_replies(
    conn: sa.Connection, tenant: str, *, limit: int = 50, after: int | None = None
) -> list[HeldReply]:
    """The tenant's replies waiting for approval, oldest first (they have waited longest)."""
    replies, cases, users = schema.replies, schema.cases, schema.users
    query = (
        sa.select(replies, cases.c.team, users.c.name.label("author"))
        .select_from(
            replies.join(cases, cases.c.id == replies.c.case_id).outerjoin(
                users, users.c.id == replies.c.user_id
            )
        )
        .where(replies.c.tenant == tenant, replies.c.status == "pending_approval")
        .order_by(replies.c.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(replies.c.id > after)
    return [
        HeldReply(**_fields(row), team=row.team, author=row.author) for row in conn.execute(query)
    ]


def get_reply(conn: sa.Connection, reply_id: int) -> Reply:
    replies = schema.replies
    return reply_from_row(conn.execute(sa.select(replies).where(replies.c.id == reply_id)).one())


def replies_of(conn: sa.Connection, case_id: int) -> list[Reply]:
    replies = schema.replies
    query = sa.select(replies).where(replies.c.case_id == case_id).order_by(replies.c.id)
    return [reply_from_row(row) for row in conn.execute(query)]


def reply_from_row(row: Any) -> Reply:
    return Reply(**_fields(row))


def _fields(row: Any) -> dict[str, Any]:
    return {
        "id": int(row.id), "case_id": int(row.case_id), "tenant": row.tenant,
        "user_id": row.user_id, "network": row.network, "in_reply_to": row.in_reply_to,
        "text": row.text, "private": bool(row.private), "status": row.status,
        "idempotency_key": row.idempotency_key, "message_id": row.message_id,
        "error": row.error, "created_at": as_utc(row.created_at),
        "sent_at": as_utc(row.sent_at), "approved_by": row.approved_by,
    }  # fmt: skip
