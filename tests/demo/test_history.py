"""The demo's weeks of past care work: the staffing report over a freshly seeded demo
database has a daily shape and finds the hours the Monday-Friday 09:00-22:00 Eastern desk
leaves short; seeding again writes nothing twice, and a later start adds only the hours
in between."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from rapport.demo.history import DESK, PREFIX, seed_history
from rapport.demo.live import demo_overrides
from rapport.measure.report import staffing_report
from rapport.settings import Settings
from rapport.store import Database, schema
from rapport.store.cases import queue_summary

NOW = datetime(2026, 11, 25, 17, 20, tzinfo=UTC)  # a Wednesday, 12:20 in New York


def demo_settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings.load(
        {"data_dir": tmp_path, "database_url": database_url, **demo_overrides(environ={})},
        environ={},
    )


def counts(database: Database) -> dict[str, int]:
    posts = schema.posts
    with database.reading() as conn:
        found = {
            t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
            for t in (schema.cases, schema.case_events, schema.surveys)
        }
        found["posts"] = int(conn.execute(
            sa.select(sa.func.count()).where(posts.c.source_id.like(PREFIX + "%"))
        ).scalar_one())  # fmt: skip
    return found


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_staffing_report_on_a_seeded_demo_has_a_daily_shape_and_gaps(
    tmp_path: Path, database_url: str, database: Database
) -> None:
    settings = demo_settings(tmp_path, database_url)
    seeded = seed_history(database, settings, now=NOW)
    assert seeded.hours == 4 * 168
    assert 12_000 < seeded.cases < 25_000
    assert seeded.surveys > 0

    report = staffing_report(database, DESK, now=NOW)
    assert report.forecast_kind.startswith("hour-of-week model fitted on the history")
    needed = report.needed  # hour of the week in New York, Monday 00:00 first
    monday_afternoon, monday_night, sunday_afternoon = needed[14], needed[3], needed[6 * 24 + 14]
    assert monday_afternoon >= monday_night + 4  # a real day, not a flat line
    assert monday_afternoon > sunday_afternoon > monday_night
    short = {gap.hour_of_week for gap in report.gaps}
    assert 3 in short  # Monday 03:00: cases arrive, nobody is rostered
    assert 6 * 24 + 14 in short  # and all weekend
    assert not short & set(range(2 * 24 + 9, 2 * 24 + 13))  # six suffice on Wednesday mornings
    assert report.waited_over_an_hour > 0.1

    with database.reading() as conn:  # history is resolved: the queues stay the live ones
        assert queue_summary(conn) == []
    before = counts(database)
    assert seed_history(database, settings, now=NOW + timedelta(minutes=30)).cases == 0
    assert counts(database) == before


def test_a_later_start_adds_only_the_hours_since(
    tmp_path: Path, database_url: str, database: Database
) -> None:
    settings = demo_settings(tmp_path, database_url)
    first = seed_history(database, settings, now=NOW, weeks=1)
    assert first.hours == 168
    before = counts(database)
    assert before["posts"] == before["cases"] == first.cases
    assert before["case_events"] == 3 * first.cases  # opened, answered, resolved
    later = seed_history(database, settings, now=NOW + timedelta(days=1), weeks=1)
    assert later.hours == 24
    after = counts(database)
    assert after["posts"] == after["cases"] == first.cases + later.cases
    with database.reading() as conn:
        cases = schema.cases
        span = conn.execute(
            sa.select(sa.func.min(cases.c.opened_at), sa.func.max(cases.c.resolved_at))
        ).one()
    opened, resolved = (moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
                        for moment in span)  # fmt: skip
    assert opened >= NOW.replace(minute=0) - timedelta(weeks=1)
    assert resolved < NOW.replace(minute=0) + timedelta(days=1)  # nothing in the future
