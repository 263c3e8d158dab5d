"""Case events and the SLA columns derived from them, written inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa

from rapport.care.sla_book import SlaBook
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


# A clock moving into one of these states is recorded once, as an event, and a breach
# escalates the case: the escalation is what puts it in front of a supervisor.
_TRANSITION_EVENTS = {"warning": "sla_warning", "breached": "sla_breach"}


def refresh_sla(
    conn: sa.Connection, book: SlaBook, case_ids: Iterable[int], now: datetime | None = None
) -> list[tuple[int, str]]:
    """Recompute the SLA state and next deadline of these cases from their events.

    Returns the (case id, event) transitions into warning or breach that this call recorded.
    """
    ids = sorted(set(case_ids))
    if not ids:
        return []
    cases = schema.cases
    history = events_of(conn, ids)
    current = {
        int(row.id): row
        for start in range(0, len(ids), 500)
        for row in conn.execute(
            sa.select(
                cases.c.id,
                cases.c.team,
                cases.c.sla_policy,
                cases.c.sla_state,
                cases.c.next_due,
                cases.c.sla_next_change,
                cases.c.status,
            ).where(cases.c.id.in_(ids[start : start + 500]))
        )
    }
    moment = now or datetime.now(UTC)
    transitions: list[tuple[int, str]] = []
    changed: list[dict[str, object]] = []
    for case_id in ids:
        row = current[case_id]
        policy = row.sla_policy or book.policy_name(row.team)
        status = book.evaluate(policy, history.get(case_id, []), moment)
        # A resolved case's clock changes no more; others are looked at again when a
        # warning or a deadline comes (`next_change`), which is all the watch reads.
        next_change = status.next_change if row.status != "resolved" else None
        event = _TRANSITION_EVENTS.get(status.state)
        transition = event is not None and status.state != row.sla_state
        if transition and event is not None:
            transitions.append((case_id, event))
        unchanged = (
            not transition
            and status.state == row.sla_state
            and as_utc(row.next_due) == status.next_due
            and as_utc(row.sla_next_change) == next_change
        )
        if not unchanged:
            changed.append({
                "b_id": case_id, "b_state": status.state, "b_due": status.next_due,
                "b_change": next_change, "b_escalate": transition and event == "sla_breach",
            })  # fmt: skip
    if changed:
        # One statement for all: a breach escalates, and nothing ever un-escalates here.
        conn.execute(
            sa.update(cases)
            .where(cases.c.id == sa.bindparam("b_id"))
            .values(
                sla_state=sa.bindparam("b_state"),
                next_due=sa.bindparam("b_due"),
                sla_next_change=sa.bindparam("b_change"),
                escalated=sa.or_(cases.c.escalated, sa.bindparam("b_escalate", type_=sa.Boolean)),
            ),
            changed,
        )
    add_events(conn, [(case_id, moment, event, "sla") for case_id, event in transitions])
    return transitions


def sweep_sla(
    conn: sa.Connection, book: SlaBook, now: datetime, limit: int = 5000
) -> list[tuple[int, str]]:
    """Re-check the clocks due to change by `now` (an indexed read); run it every few
    seconds. At most `limit` cases a pass, so one pass never holds the writer for long."""
    cases = schema.cases
    due = [
        int(i)
        for (i,) in conn.execute(
            sa.select(cases.c.id)
            .where(cases.c.sla_next_change <= now, cases.c.status.in_(("open", "pending")))
            .order_by(cases.c.sla_next_change)
            .limit(limit)
        )
    ]
    return refresh_sla(conn, book, due, now)
