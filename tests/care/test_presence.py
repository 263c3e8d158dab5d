"""Presence is kept in the database: every web tier sees who has a case open and who is
typing, an entry not renewed within 20 seconds counts for nothing, and the sweep deletes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from rapport.actions.presence import Presence, PresenceSweep
from rapport.store import Database, schema
from tests.actions.test_cases import agent
from tests.web.test_desk import open_cases


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def rows(database: Database) -> int:
    with database.reading() as conn:
        return int(
            conn.execute(sa.select(sa.func.count()).select_from(schema.presence)).scalar_one()
        )


def test_presence_lapses_after_twenty_seconds(database: Database) -> None:
    (case_id,) = open_cases(database, 1)
    ana, ben = agent(database, "ana@bank.test"), agent(database, "ben@bank.test")
    clock = Clock()
    presence = Presence(database, clock=clock)
    presence.touch("default", case_id, ana.id, "Ana", typing=True)
    clock.advance(19)
    assert [v.typing for v in presence.viewers(case_id)] == [True]
    clock.advance(1)
    assert presence.viewers(case_id) == []
    presence.touch("default", case_id, ben.id, "Ben", typing=False)
    presence.leave(case_id, ben.id)
    assert presence.viewers(case_id) == []


def test_two_tiers_see_each_other_on_a_case(database: Database) -> None:
    (case_id,) = open_cases(database, 1)
    ana, ben = agent(database, "ana@bank.test"), agent(database, "ben@bank.test")
    clock = Clock()
    tier_a, tier_b = Presence(database, clock=clock), Presence(database, clock=clock)
    tier_a.touch("default", case_id, ana.id, "Ana", typing=True)
    clock.advance(3)
    seen = tier_b.touch("default", case_id, ben.id, "Ben", typing=False)
    assert [(v.name, v.typing, v.since) for v in seen] == [
        ("Ana", True, clock.now - timedelta(seconds=3)), ("Ben", False, clock.now)
    ]  # fmt: skip
    assert tier_a.viewers(case_id) == seen


def test_a_renewed_heartbeat_keeps_its_start_and_a_lapsed_one_starts_again(
    database: Database,
) -> None:
    (case_id,) = open_cases(database, 1)
    ana = agent(database, "ana@bank.test")
    clock = Clock()
    presence = Presence(database, clock=clock)
    started = clock.now
    presence.touch("default", case_id, ana.id, "Ana", typing=False)
    clock.advance(10)
    (kept,) = presence.touch("default", case_id, ana.id, "Ana", typing=True)
    assert (kept.since, kept.typing) == (started, True)
    clock.advance(25)  # lapsed, not swept yet
    (again,) = presence.touch("default", case_id, ana.id, "Ana", typing=False)
    assert again.since == clock.now


def test_the_sweep_deletes_only_lapsed_presence(database: Database) -> None:
    first, second = open_cases(database, 2)
    ana = agent(database, "ana@bank.test")
    clock = Clock()
    presence = Presence(database, clock=clock)
    presence.touch("default", first, ana.id, "Ana", typing=False)
    clock.advance(15)
    presence.touch("default", second, ana.id, "Ana", typing=False)
    clock.advance(6)
    assert PresenceSweep(presence).run_once() == 1
    assert rows(database) == 1
    assert [v.name for v in presence.viewers(second)] == ["Ana"]
