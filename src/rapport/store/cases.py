"""Reading cases and queues, and writing the status an agent's event leaves (which events
are allowed is `care/work.py`'s to say)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa

from rapport.errors import NotFound
from rapport.records.cases import (
    Assignee,
    CaseDetail,
    CaseEvent,
    CaseEventMark,
    CasePost,
    CaseReason,
    CaseRef,
    QueuedCase,
    QueueSummary,
)
from rapport.store import schema
from rapport.store.case_events import add_events
from rapport.store.case_work import notes_of, queue_order
from rapport.store.replies import replies_of
from rapport.store.rows import as_utc

OPEN_STATUSES = ("open", "pending")


def _case_fields(row: Any) -> dict[str, Any]:
    """The `CaseFields` of a row of cases joined to its holder's name (`assignee_name`)."""
    holder = row.assignee_id
    return {
        "id": int(row.id), "tenant": row.tenant, "network": row.network,
        "conversation_id": row.conversation_id, "customer_id": row.customer_id,
        "customer_handle": row.customer_handle, "team": row.team, "status": row.status,
        "priority": float(row.priority),
        "reasons": [CaseReason(r["name"], r["points"], r["reason"])
                    for r in orjson.loads(row.reasons)],
        "tags": orjson.loads(row.tags), "skills": orjson.loads(row.skills or "[]"),
        "lang": row.lang, "intent": row.intent, "fingerprint": row.fingerprint,
        "root_post_id": int(row.root_post_id), "latest_post_id": int(row.latest_post_id),
        "post_count": int(row.post_count), "duplicate_count": int(row.duplicate_count),
        "opened_at": as_utc(row.opened_at), "updated_at": as_utc(row.updated_at),
        "resolved_at": as_utc(row.resolved_at), "sla_policy": row.sla_policy,
        "sla_state": row.sla_state, "next_due": as_utc(row.next_due),
        "sla_next_change": as_utc(row.sla_next_change), "escalated": bool(row.escalated),
        "assignee_id": None if holder is None else int(holder),
        "claimed_at": as_utc(row.claimed_at), "snoozed_until": as_utc(row.snoozed_until),
        "assignee": None if holder is None else Assignee(int(holder), row.assignee_name or ""),
    }  # fmt: skip


def queue_summary(
    conn: sa.Connection, tenant: str | None = None, now: datetime | None = None
) -> list[QueueSummary]:
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
    return [
        QueueSummary(
            team=str(row.team), open=int(row.open), snoozed=int(row.snoozed),
            pending=int(row.pending), breached=int(row.breached), warning=int(row.warning),
            next_due=as_utc(row.next_due),
            top_priority=None if row.top_priority is None else float(row.top_priority),
        )
        for row in conn.execute(query)
    ]  # fmt: skip


def queue(
    conn: sa.Connection,
    team: str,
    *,
    limit: int = 50,
    offset: int = 0,
    status: str = "open",
    now: datetime | None = None,
    tenant: str | None = None,
) -> list[QueuedCase]:
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
    return [
        QueuedCase(**_case_fields(row), latest_text=row.latest_text) for row in conn.execute(query)
    ]


def get_case(conn: sa.Connection, case_id: int) -> CaseDetail:
    """The case with its posts, events, replies and notes (its viewers are not the store's
    to know: the caller adds them)."""
    cases, links, posts, users = schema.cases, schema.case_posts, schema.posts, schema.users
    row = conn.execute(
        sa.select(cases, users.c.name.label("assignee_name"))
        .select_from(cases.outerjoin(users, users.c.id == cases.c.assignee_id))
        .where(cases.c.id == case_id)
    ).first()
    if row is None:
        raise NotFound(f"no case with id {case_id}")
    members = conn.execute(
        sa.select(posts.c.id, posts.c.author_handle, posts.c.text, posts.c.created_at, links.c.role)
        .select_from(links.join(posts, posts.c.id == links.c.post_id))
        .where(links.c.case_id == case_id)
        .order_by(posts.c.created_at, posts.c.id)
    )
    events = schema.case_events
    happened = conn.execute(
        sa.select(events.c.at, events.c.kind, events.c.actor, events.c.detail)
        .where(events.c.case_id == case_id)
        .order_by(events.c.at, events.c.id)
    )
    return CaseDetail(
        **_case_fields(row),
        posts=[CasePost(id=int(p.id), author=p.author_handle, text=p.text,
                        created_at=as_utc(p.created_at), role=p.role) for p in members],
        events=[CaseEvent(at=as_utc(e.at), kind=e.kind, actor=e.actor,
                          detail=orjson.loads(e.detail)) for e in happened],
        replies=replies_of(conn, case_id),
        notes=notes_of(conn, case_id),
        viewers=[],
    )  # fmt: skip


def case_status(conn: sa.Connection, case_id: int) -> str:
    """The case's status, or NotFound."""
    cases = schema.cases
    status = conn.execute(sa.select(cases.c.status).where(cases.c.id == case_id)).scalar()
    if status is None:
        raise NotFound(f"no case with id {case_id}")
    return str(status)


def case_tenant(conn: sa.Connection, case_id: int) -> str | None:
    """The tenant a case belongs to; None when there is no such case."""
    cases = schema.cases
    found = conn.execute(sa.select(cases.c.tenant).where(cases.c.id == case_id)).scalar()
    return None if found is None else str(found)


def record_status(
    conn: sa.Connection, case_id: int, kind: str, status: str, *, actor: str, at: datetime
) -> None:
    """Log an agent's event on the case and set the status it leaves."""
    cases = schema.cases
    add_events(conn, [(case_id, at, kind, actor)])
    conn.execute(
        sa.update(cases)
        .where(cases.c.id == case_id)
        .values(status=status, updated_at=at, resolved_at=at if status == "resolved" else None)
    )


def case_refs(conn: sa.Connection, case_ids: Sequence[int]) -> list[CaseRef]:
    """The tenant and team of each of these cases that exists."""
    cases = schema.cases
    rows = conn.execute(
        sa.select(cases.c.id, cases.c.tenant, cases.c.team).where(cases.c.id.in_(case_ids))
    )
    return [CaseRef(id=int(r.id), tenant=str(r.tenant), team=str(r.team)) for r in rows]


def open_counts(conn: sa.Connection) -> dict[tuple[str, str], int]:
    """Open cases per (tenant, team) (one indexed GROUP BY)."""
    cases = schema.cases
    query = (
        sa.select(cases.c.tenant, cases.c.team, sa.func.count())
        .where(cases.c.status == "open")
        .group_by(cases.c.tenant, cases.c.team)
    )
    return {(str(tenant), str(team)): int(n) for tenant, team, n in conn.execute(query)}


def last_event_id(conn: sa.Connection) -> int:
    """The id of the newest case event (0 when there is none)."""
    events = schema.case_events
    return int(conn.execute(sa.select(sa.func.max(events.c.id))).scalar() or 0)


def events_after(conn: sa.Connection, after: int, *, limit: int) -> list[CaseEventMark]:
    """Case events committed after the one with id `after`, oldest first."""
    events = schema.case_events
    rows = conn.execute(
        sa.select(events.c.id, events.c.case_id, events.c.kind)
        .where(events.c.id > after)
        .order_by(events.c.id)
        .limit(limit)
    )
    return [CaseEventMark(id=int(r.id), case_id=int(r.case_id), kind=str(r.kind)) for r in rows]
