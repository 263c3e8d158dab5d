"""An agent's work on a case: claiming, releasing, notes, tags, snoozing, and assignment.

Every function runs inside the caller's transaction (writes through `database.write`), so a
change and its audit entry commit together. A case claimed by one agent is theirs to work:
the others get `ClaimedByOther` (409) naming the holder, which is what keeps two people
from answering one customer. Supervisors and admins may work any case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa

from rapport.care.assign import Agent, Turns, Work, pick_next, plan
from rapport.errors import InputError, NotFound, RapportError
from rapport.records.accounts import User
from rapport.store import schema
from rapport.store.case_events import add_events
from rapport.store.rows import as_utc

SUPERVISING = frozenset({"supervisor", "admin"})
_PAGE = 200


class ClaimedByOther(RapportError):
    """The case is claimed by someone else; `holder` is their name."""

    def __init__(self, case_id: int, holder_id: int, holder: str) -> None:
        super().__init__(f"case {case_id} is claimed by {holder}")
        self.holder_id = holder_id
        self.holder = holder


@dataclass(frozen=True)
class CaseHead:
    """What deciding who may work a case needs, without its posts."""

    id: int
    tenant: str
    team: str
    status: str
    assignee_id: int | None
    assignee_name: str | None
    claimed_at: datetime | None
    snoozed_until: datetime | None


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


def supervises(user: User) -> bool:
    return user.role in SUPERVISING


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


def ensure_may_work(conn: sa.Connection, case_id: int, user: User) -> CaseHead:
    """The case, if `user` may change it: it is in their tenant (else NotFound) and nobody
    else holds it (else ClaimedByOther), unless they supervise."""
    head = case_head(conn, case_id, user.tenant)
    holder = head.assignee_id
    if holder is not None and holder != user.id and not supervises(user):
        raise ClaimedByOther(case_id, holder, head.assignee_name or f"user {holder}")
    return head


def claim(
    conn: sa.Connection, case_id: int, user: User, *, now: datetime, force: bool = False
) -> CaseHead:
    """Make `user` the case's holder; returns the case as it was. Taking a case from someone
    else needs `force` and a supervisor; force alone from an agent is refused."""
    head = case_head(conn, case_id, user.tenant)
    if head.status == "resolved":
        raise InputError(f"case {case_id} is resolved; reopen it before claiming it")
    holder = head.assignee_id
    if holder == user.id:
        return head
    if holder is not None and not (force and supervises(user)):
        raise ClaimedByOther(case_id, holder, head.assignee_name or f"user {holder}")
    _set_holder(conn, case_id, user.id, now, expect=holder)
    add_events(conn, [(case_id, now, "claimed", f"user:{user.id}")])
    return head


def release(conn: sa.Connection, case_id: int, user: User, *, now: datetime) -> CaseHead:
    """Give the case back to the queue; only its holder or a supervisor may."""
    head = ensure_may_work(conn, case_id, user)
    if head.assignee_id is not None:
        cases = schema.cases
        conn.execute(
            sa.update(cases)
            .where(cases.c.id == case_id)
            .values(assignee_id=None, claimed_at=None, updated_at=now)
        )
        add_events(conn, [(case_id, now, "released", f"user:{user.id}")])
    return head


def _set_holder(
    conn: sa.Connection, case_id: int, user_id: int, now: datetime, *, expect: int | None
) -> bool:
    # Conditional on the holder read before: a claim that lost a race changes nothing.
    cases = schema.cases
    held = cases.c.assignee_id.is_(None) if expect is None else cases.c.assignee_id == expect
    done = conn.execute(
        sa.update(cases)
        .where(cases.c.id == case_id, held)
        .values(assignee_id=user_id, claimed_at=now, updated_at=now)
    )
    return done.rowcount == 1


def add_note(
    conn: sa.Connection, case_id: int, user_id: int, text: str, *, now: datetime
) -> dict[str, Any]:
    notes = schema.case_notes
    note_id = conn.execute(
        sa.insert(notes).returning(notes.c.id),
        {"case_id": case_id, "user_id": user_id, "text": text, "created_at": now},
    ).scalar_one()
    return notes_of(conn, case_id, after=int(note_id) - 1, limit=1)[0]


def notes_of(
    conn: sa.Connection, case_id: int, *, limit: int = 200, after: int | None = None
) -> list[dict[str, Any]]:
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
        {"id": int(r.id), "user_id": r.user_id, "author": r.author or "", "text": r.text,
         "created_at": as_utc(r.created_at)}
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


def claim_next(conn: sa.Connection, team: str, user: User, *, now: datetime) -> int | None:
    """Claim for `user` the first waiting case of `team` they can answer; its id, or None."""
    now = now.astimezone(UTC)
    offset = 0
    while True:
        rows = conn.execute(_waiting(user.tenant, team, now).limit(_PAGE).offset(offset)).all()
        found = pick_next((_work(r) for r in rows), user.languages, user.skills)
        if found is not None and _set_holder(conn, found.id, user.id, now, expect=None):
            add_events(conn, [(found.id, now, "claimed", f"user:{user.id}")])
            return found.id
        if len(rows) < _PAGE:
            return None
        offset += _PAGE


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


def assign_waiting(
    conn: sa.Connection, tenant: str, turns: Turns, *, now: datetime
) -> tuple[list[tuple[int, int, str]], int]:
    """Assign every waiting case of the tenant by load; returns ([(case, agent, team)],
    how many found nobody able and free)."""
    now = now.astimezone(UTC)
    by_team: dict[str, list[Work]] = {}
    for row in conn.execute(_waiting(tenant, None, now)):
        by_team.setdefault(str(row.team), []).append(_work(row))
    assigned: list[tuple[int, int, str]] = []
    unassigned = 0
    loads: dict[int, int] = {}  # an agent in two teams carries one load across both
    for team in sorted(by_team):
        agents = [
            Agent(a.id, a.name, a.languages, a.skills, a.capacity, loads.get(a.id, a.load))
            for a in team_agents(conn, tenant, team)
        ]
        result = plan(by_team[team], agents, turns.last(tenant, team))
        for case_id, agent_id in result.assignments:
            if _set_holder(conn, case_id, agent_id, now, expect=None):
                add_events(conn, [(case_id, now, "assigned", f"user:{agent_id}")])
                assigned.append((case_id, agent_id, team))
                loads[agent_id] = loads.get(agent_id, _load_of(agents, agent_id)) + 1
        unassigned += len(result.unassigned)
        turns.remember(tenant, team, result.last)
    return assigned, unassigned


def _load_of(agents: list[Agent], agent_id: int) -> int:
    return next(a.load for a in agents if a.id == agent_id)
