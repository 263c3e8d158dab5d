"""Case events and the SLA columns derived from them, written inside the caller's transaction.

The store keeps the clocks; judging them is the SLA book's (`rapport.actions.sla` joins the
two)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa

from rapport.records.sla import BreachedCase, CaseClock, ClockReading
from rapport.store import schema
from rapport.store.rows import as_utc


def add_events(conn: sa.Connection, events: Iterable[tuple[int, datetime, str, str]]) -> None:
    """Append (case id, at, kind, actor) events."""
    rows = [
        {"case_id": case_id, "at": at, "kind": kind, "actor": actor}
        for case_id, at, kind, actor in events
    ]
    if rows:
        conn.execute(sa.insert(schema.case_events), rows)


def events_of(
    conn: sa.Connection, case_ids: Iterable[int]
) -> dict[int, list[tuple[datetime, str]]]:
    found: dict[int, list[tuple[datetime, str]]] = {}
    ids = sorted(set(case_ids))
    events = schema.case_events
    for start in range(0, len(ids), 500):
        query = (
            sa.select(events.c.case_id, events.c.at, events.c.kind)
            .where(events.c.case_id.in_(ids[start : start + 500]))
            .order_by(events.c.case_id, events.c.at, events.c.id)
        )
        for case_id, at, kind in conn.execute(query):
            found.setdefault(int(case_id), []).append((as_utc(at) or at, str(kind)))
    return found


def clocks_of(conn: sa.Connection, case_ids: Iterable[int]) -> list[CaseClock]:
    """The stored clocks of these cases, in id order."""
    ids = sorted(set(case_ids))
    cases = schema.cases
    found: dict[int, CaseClock] = {}
    for start in range(0, len(ids), 500):
        query = sa.select(
            cases.c.id, cases.c.team, cases.c.sla_policy, cases.c.sla_state, cases.c.next_due,
            cases.c.sla_next_change, cases.c.status, cases.c.tenant,
        ).where(cases.c.id.in_(ids[start : start + 500]))  # fmt: skip
        for row in conn.execute(query):
            found[int(row.id)] = CaseClock(
                int(row.id), str(row.team), str(row.sla_policy or ""), str(row.sla_state),
                as_utc(row.next_due), as_utc(row.sla_next_change), row.status == "resolved",
                str(row.tenant),
            )  # fmt: skip
    return [found[case_id] for case_id in ids]


def write_clocks(conn: sa.Connection, readings: Sequence[ClockReading]) -> None:
    """Store new clock readings; a breach escalates, and nothing ever un-escalates here."""
    if not readings:
        return
    cases = schema.cases
    # One statement for all, however many clocks changed.
    conn.execute(
        sa.update(cases)
        .where(cases.c.id == sa.bindparam("b_id"))
        .values(
            sla_state=sa.bindparam("b_state"),
            next_due=sa.bindparam("b_due"),
            sla_next_change=sa.bindparam("b_change"),
            escalated=sa.or_(cases.c.escalated, sa.bindparam("b_escalate", type_=sa.Boolean)),
        ),
        [
            {"b_id": r.case_id, "b_state": r.state, "b_due": r.next_due,
             "b_change": r.next_change, "b_escalate": r.escalate}
            for r in readings
        ],
    )  # fmt: skip


def clocks_due(conn: sa.Connection, now: datetime, limit: int) -> list[int]:
    """Running clocks due to change by `now`, soonest first (an indexed read)."""
    cases = schema.cases
    query = (
        sa.select(cases.c.id)
        .where(cases.c.sla_next_change <= now, cases.c.status.in_(("open", "pending")))
        .order_by(cases.c.sla_next_change)
        .limit(limit)
    )
    return [int(i) for (i,) in conn.execute(query)]


def breached_cases(conn: sa.Connection, case_ids: Sequence[int]) -> list[BreachedCase]:
    cases = schema.cases
    return [
        BreachedCase(int(row.id), str(row.team), str(row.customer_handle))
        for start in range(0, len(case_ids), 500)  # drivers cap the parameters of one query
        for row in conn.execute(
            sa.select(cases.c.id, cases.c.team, cases.c.customer_handle).where(
                cases.c.id.in_(case_ids[start : start + 500])
            )
        )
    ]
