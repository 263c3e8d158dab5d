"""Round-robin turns are the store's: assignment runs through two web tiers (two contexts,
each with its own hub) take turns as one, and a tenant's turns are its own."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from rapport.actions import cases as actions
from rapport.actions.base import Context
from rapport.care.hub import Hub
from rapport.store import Database, schema
from tests.actions.test_cases import agent
from tests.web.test_desk import open_cases, set_case

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def holder(database: Database, case_id: int) -> int | None:
    cases = schema.cases
    with database.reading() as conn:
        found = conn.execute(sa.select(cases.c.assignee_id).where(cases.c.id == case_id))
        value = found.scalar_one()
    return None if value is None else int(value)


def test_runs_on_two_tiers_take_turns_as_one(database: Database) -> None:
    sue = agent(database, "sue@bank.test", "supervisor")
    team = [agent(database, f"{name}@bank.test").id for name in ("ana", "ben", "cy")]
    tier_a = Context(database, Hub(), clock=lambda: NOW)
    tier_b = Context(database, Hub(), clock=lambda: NOW)
    chosen = []
    for i, tier in enumerate([tier_a, tier_b, tier_a, tier_b]):
        (case_id,) = open_cases(database, i + 1)[i:]
        run = actions.run_assignment(tier, sue)
        assert run.assigned == 1
        chosen.append(holder(database, case_id))
        # Resolved at once: every agent is back to no open case, so only the turn decides.
        set_case(database, case_id, status="resolved")
    assert chosen == [team[0], team[1], team[2], team[0]]


def test_a_run_with_nothing_to_assign_keeps_the_turn(database: Database) -> None:
    sue = agent(database, "sue@bank.test", "supervisor")
    team = [agent(database, f"{name}@bank.test").id for name in ("ana", "ben")]
    tier = Context(database, Hub(), clock=lambda: NOW)
    (first,) = open_cases(database, 1)
    actions.run_assignment(tier, sue)
    set_case(database, first, status="resolved")
    assert actions.run_assignment(tier, sue).assigned == 0
    second = open_cases(database, 2)[1]
    actions.run_assignment(tier, sue)
    assert [holder(database, first), holder(database, second)] == team
