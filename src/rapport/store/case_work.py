"""An agent's work on a case, in SQL: its holder, notes, tags, snoozing, and the cases and
agents assignment reads.

Every function runs inside the caller's transaction, so a change and its audit entry commit
together. Who may do what is decided above (`care/work.py`, `actions/cases.py`); the store
only reads and writes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa

from rapport.errors import NotFound
from rapport.records.cases import Agent, CaseHead, Note, Work
from rapport.store import schema
from rapport.store.case_events import add_events
from rapport.store.rows import as_utc


def queue_order() -> tuple[sa.ColumnElement[Any], ...]:
    """The order to answer cases in: priority, then the nearest deadline (none goes last)."""
    cases = schema.cases
    return (
        cases.c.priority.desc(),
        # Cases without a deadline go after those with one, in both databases.
        sa.case((cases.c.next_due.is_(None), 1), else_=0),
        cases.c.next_due,
        cases.c.id,
    )


def case_head(conn: sa.Connection, case_id: int, tenant: str) -> CaseHead:
    """The case, or NotFound: a case of another tenant does not exist for this one."""
    cases, users = schema.cases, schema.users
    row = conn.execute(
        sa.select(cases, users.c.name.label("assignee_name"))
        .select_from(cases.outerjoin(users, users.c.id == cases.c.assignee_id))
        .where(cases.c.id == case_id, cases.c.tenant == tenant)
    ).first()
    if row is None:
        raise NotFound(f"no case with id {case_id}")
    return CaseHead(
        id=int(row.id), tenant=str(row.tenant), team=str(row.team), status=str(row.status),
        assignee_id=None if row.assignee_id is None else int(row.assignee_id),
        assignee_name=row.assignee_name or (f"user {row.assignee_id}" if row.assignee_id else None),
        claimed_at=as_utc(row.claimed_at), snoozed_until=as_utc(row.snoozed_until),
    )  # fmt: skip


def take(
    conn: sa.Connection,
    case_id: int,
    user_id: int,
    *,
    now: datetime,
    expect: int | None,
    event: str = "claimed",
) -> bool:
    """Make `user_id` the case's holder and log `event`; False (and nothing written) when the
    holder is no longer `expect`, so a claim that lost a race changes nothing."""
    cases = schema.cases
    held = cases.c.assignee_id.is_(None) if expect is None else cases.c.assignee_id == expect
    done = conn.execute(
        sa.update(cases)
        .where(cases.c.id == case_id, held)
        .values(assignee_id=user_id, claimed_at=now, updated_at=now)
    )
    if done.rowcount != 1:
        return False
    add_events(conn, [(case_id, now, event, f"user:{user_id}")])
    return True


def release(conn: sa.Connection, case_id: int, user_id: int, *, now: datetime) -> None:
    """Give the case back to its queue, logged as released by `user_id`."""
    cases = schema.cases
    conn.execute(
        sa.update(cases)
        .where(cases.c.id == case_id)
        .values(assignee_id=None, claimed_at=None, updated_at=now)
    )
    add_events(conn, [(case_id, now, "released", f"user:{user_id}")])


def add_note(conn: sa.Connection, case_id: int, user_id: int, text: str, *, now: datetime) -> Note:
    notes = schema.case_notes
    note_id = conn.execute(
        sa.insert(notes).returning(notes.c.id),
        {"case_id": case_id, "user_id": user_id, "text": text, "created_at": now},
    ).scalar_one()
    return notes_of(conn, case_id, after=int(note_id) - 1, limit=1)[0]


def notes_of(
    conn: sa.Connection, case_id: int, *, limit: int = 200, after: int | None = None
) -> list[Note]:
    """A case's notes, oldest first, each with its author's name."""
    notes, users = schema.case_notes, schema.users
    query = (
        sa.select(notes, users.c.name.label("author"))
        .select_from(notes.outerjoin(users, users.c.id == notes.c.user_id))
        .where(notes.c.case_id == case_id)
        .order_by(notes.c.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(notes.c.id > after)
    return [
        Note(id=int(r.id), user_id=r.user_id, author=r.author or "", text=r.text,
             created_at=as_utc(r.created_at))
        for r in conn.execute(query)
    ]  # fmt: skip


def set_tags(
    conn: sa.Connection, case_id: int, tags: list[str], *, now: datetime
) -> tuple[list[str], list[str]]:
    """Replace the case's tags; returns (before, after)."""
    cases = schema.cases
    before = orjson.loads(
        conn.execute(sa.select(cases.c.tags).where(cases.c.id == case_id)).scalar_one()
    )
    after = list(dict.fromkeys(tags))
    conn.execute(
        sa.update(cases)
        .where(cases.c.id == case_id)
        .values(tags=orjson.dumps(after).decode(), updated_at=now)
    )
    return before, after


def snooze(
    conn: sa.Connection, case_id: int, until: datetime | None, *, user_id: int, now: datetime
) -> None:
    """Hide the case from its queue until `until`; None wakes it now."""
    cases = schema.cases
    moment = until.astimezone(UTC) if until is not None else None
    conn.execute(
        sa.update(cases).where(cases.c.id == case_id).values(snoozed_until=moment, updated_at=now)
    )
    kind = "snoozed" if until is not None else "woken"
    add_events(conn, [(case_id, now, kind, f"user:{user_id}")])


def _waiting(tenant: str, team: str | None, now: datetime) -> sa.Select[Any]:
    """Open, unclaimed, awake cases, in the order to answer them."""
    cases = schema.cases
    query = (
        sa.select(cases.c.id, cases.c.team, cases.c.lang, cases.c.skills)
        .where(
            cases.c.tenant == tenant,
            cases.c.status == "open",
            cases.c.assignee_id.is_(None),
            sa.or_(cases.c.snoozed_until.is_(None), cases.c.snoozed_until <= now),
        )
        .order_by(*queue_order())
    )
    return query if team is None else query.where(cases.c.team == team)


def _work(row: Any) -> Work:
    return Work(id=int(row.id), lang=row.lang, skills=tuple(orjson.loads(row.skills or "[]")))


def waiting(
    conn: sa.Connection, tenant: str, team: str, *, now: datetime, limit: int, offset: int = 0
) -> list[Work]:
    """One page of the team's waiting cases (open, unclaimed, awake), in queue order."""
    query = _waiting(tenant, team, now.astimezone(UTC)).limit(limit).offset(offset)
    return [_work(row) for row in conn.execute(query)]


def waiting_by_team(conn: sa.Connection, tenant: str, *, now: datetime) -> dict[str, list[Work]]:
    """Every waiting case of the tenant, per team, in queue order."""
    by_team: dict[str, list[Work]] = {}
    for row in conn.execute(_waiting(tenant, None, now.astimezone(UTC))):
        by_team.setdefault(str(row.team), []).append(_work(row))
    return by_team


def team_agents(conn: sa.Connection, tenant: str, team: str) -> list[Agent]:
    """The team's active agents, each with the open cases they hold now."""
    users, member, cases = schema.users, schema.user_teams, schema.cases
    load = (
        sa.select(sa.func.count())
        .where(cases.c.assignee_id == users.c.id, cases.c.status.in_(("open", "pending")))
        .scalar_subquery()
    )
    rows = conn.execute(
        sa.select(users.c.id, users.c.name, users.c.languages, users.c.skills,
                  users.c.capacity, load.label("load"))
        .select_from(users.join(member, member.c.user_id == users.c.id))
        .where(users.c.tenant == tenant, member.c.team == team, users.c.active,
               users.c.role == "agent")
        .order_by(users.c.id)
    ).all()  # fmt: skip
    return [
        Agent(id=int(r.id), name=str(r.name), languages=frozenset(orjson.loads(r.languages)),
              skills=frozenset(orjson.loads(r.skills)), capacity=int(r.capacity),
              load=int(r.load))
        for r in rows
    ]  # fmt: skip
