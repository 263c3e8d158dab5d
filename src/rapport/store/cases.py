"""Reading cases and queues, and the agent-side case events (reply, wait, resolve, reopen)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa

from rapport.actions.sla import refresh_sla
from rapport.care.sla_book import SlaBook
from rapport.errors import InputError, NotFound
from rapport.store import schema
from rapport.store.case_events import add_events
from rapport.store.case_work import notes_of, queue_order
from rapport.store.replies import replies_of
from rapport.store.rows import as_utc

# What an agent (or the API on their behalf) may record, and the status it leaves.
AGENT_EVENTS = {
    "agent_reply": "open",
    "waiting_on_customer": "pending",
    "resolved": "resolved",
    "reopened": "open",
}
OPEN_STATUSES = ("open", "pending")


def case_from_row(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    data["reasons"] = orjson.loads(data["reasons"])
    data["tags"] = orjson.loads(data["tags"])
    if "skills" in data:
        data["skills"] = orjson.loads(data["skills"])
    for name in ("opened_at", "updated_at", "resolved_at", "next_due", "claimed_at",
                 "snoozed_until"):  # fmt: skip
        if name in data:
            data[name] = as_utc(data[name])
    data["escalated"] = bool(data["escalated"])
    if "assignee_name" in data:
        holder, name = data.get("assignee_id"), data.pop("assignee_name")
        data["assignee"] = None if holder is None else {"id": holder, "name": name or ""}
    return data


def queue_summary(
    conn: sa.Connection, tenant: str | None = None, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Per team: open cases (less the snoozed ones, counted apart, as the queue hides them),
    waiting cases, breached and warned ones, the next deadline (of one tenant, or of all
    when `tenant` is None)."""
    cases = schema.cases
    moment = now or datetime.now(UTC)
    snoozed = sa.and_(cases.c.snoozed_until.is_not(None), cases.c.snoozed_until > moment)
    query = (
        sa.select(
            cases.c.team,
            sa.func.count().filter(cases.c.status == "open", sa.not_(snoozed)).label("open"),
            sa.func.count().filter(cases.c.status == "open", snoozed).label("snoozed"),
            sa.func.count().filter(cases.c.status == "pending").label("pending"),
            sa.func.count().filter(cases.c.sla_state == "breached").label("breached"),
            sa.func.count().filter(cases.c.sla_state == "warning").label("warning"),
            sa.func.min(cases.c.next_due).label("next_due"),
            sa.func.max(cases.c.priority).label("top_priority"),
        )
        .where(cases.c.status.in_(OPEN_STATUSES))
        .group_by(cases.c.team)
        .order_by(cases.c.team)
    )
    if tenant is not None:
        query = query.where(cases.c.tenant == tenant)
    return [{**dict(row._mapping), "next_due": as_utc(row.next_due)} for row in conn.execute(query)]


def queue(
    conn: sa.Connection,
    team: str,
    *,
    limit: int = 50,
    offset: int = 0,
    status: str = "open",
    now: datetime | None = None,
    tenant: str | None = None,
) -> list[dict[str, Any]]:
    """A team's cases (of one tenant, or all when `tenant` is None) in the order to answer
    them: priority, then the nearest deadline. A case snoozed until after `now` is left
    out until then."""
    cases, posts, users = schema.cases, schema.posts, schema.users
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    query = (
        sa.select(cases, posts.c.text.label("latest_text"), users.c.name.label("assignee_name"))
        .select_from(
            cases.join(posts, posts.c.id == cases.c.latest_post_id).outerjoin(
                users, users.c.id == cases.c.assignee_id
            )
        )
        .where(
            cases.c.team == team,
            cases.c.status == status,
            sa.or_(cases.c.snoozed_until.is_(None), cases.c.snoozed_until <= moment),
        )
        .order_by(*queue_order())
        .limit(limit)
        .offset(offset)
    )
    if tenant is not None:
        query = query.where(cases.c.tenant == tenant)
    return [case_from_row(row) for row in conn.execute(query)]


def get_case(conn: sa.Connection, case_id: int) -> dict[str, Any]:
    cases, links, posts, users = schema.cases, schema.case_posts, schema.posts, schema.users
    row = conn.execute(
        sa.select(cases, users.c.name.label("assignee_name"))
        .select_from(cases.outerjoin(users, users.c.id == cases.c.assignee_id))
        .where(cases.c.id == case_id)
    ).first()
    if row is None:
        raise NotFound(f"no case with id {case_id}")
    data = case_from_row(row)
    members = conn.execute(
        sa.select(posts.c.id, posts.c.author_handle, posts.c.text, posts.c.created_at, links.c.role)
        .select_from(links.join(posts, posts.c.id == links.c.post_id))
        .where(links.c.case_id == case_id)
        .order_by(posts.c.created_at, posts.c.id)
    )
    data["posts"] = [
        {"id": p.id, "author": p.author_handle, "text": p.text,
         "created_at": as_utc(p.created_at), "role": p.role}
        for p in members
    ]  # fmt: skip
    events = schema.case_events
    data["events"] = [
        {"at": as_utc(e.at), "kind": e.kind, "actor": e.actor, "detail": orjson.loads(e.detail)}
        for e in conn.execute(
            sa.select(events.c.at, events.c.kind, events.c.actor, events.c.detail)
            .where(events.c.case_id == case_id)
            .order_by(events.c.at, events.c.id)
        )
    ]
    data["replies"] = replies_of(conn, case_id)
    data["notes"] = notes_of(conn, case_id)
    return data


def record_agent_event(
    conn: sa.Connection,
    book: SlaBook,
    case_id: int,
    kind: str,
    *,
    actor: str = "",
    at: datetime | None = None,
) -> dict[str, Any]:
    """Record what an agent did; the status and the SLA clock follow."""
    if kind not in AGENT_EVENTS:
        raise InputError(f"case event {kind!r} is not one of {', '.join(AGENT_EVENTS)}")
    cases = schema.cases
    status = conn.execute(sa.select(cases.c.status).where(cases.c.id == case_id)).scalar()
    if status is None:
        raise NotFound(f"no case with id {case_id}")
    if kind == "reopened" and status != "resolved":
        raise InputError(f"case {case_id} is {status}, not resolved; only a resolved case reopens")
    if kind != "reopened" and status == "resolved":
        raise InputError(f"case {case_id} is resolved; reopen it first")
    moment = at or datetime.now(UTC)
    add_events(conn, [(case_id, moment, kind, actor)])
    new_status = AGENT_EVENTS[kind]
    conn.execute(
        sa.update(cases)
        .where(cases.c.id == case_id)
        .values(
            status=new_status,
            updated_at=moment,
            resolved_at=moment if new_status == "resolved" else None,
        )
    )
    refresh_sla(conn, book, [case_id], moment)
    return get_case(conn, case_id)
