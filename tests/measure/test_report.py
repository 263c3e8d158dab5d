"""The staffing report on stored history answers the issue's question for a desk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from typer.testing import CliRunner

from rapport.care.desk import CaseDesk
from rapport.cli import app
from rapport.measure.report import staffing_report, without_bursts
from rapport.pipeline.build import analysis_stages
from rapport.pipeline.persist import PersistStage
from rapport.pipeline.runner import Runner
from rapport.records import Author, Batch, Envelope, Post
from rapport.store import Database

MONDAY = datetime(2026, 6, 1, 0, 30, tzinfo=UTC)  # a June week: no clock change


def test_the_report_counts_urgent_posts_that_waited_for_the_desk(
    database: Database, database_url: str
) -> None:
    # One fraud post every hour of a week: urgent, and each opens a case.
    posts = [
        Post(network="x", source_id=str(h), author=Author(source_id=f"a{h}", handle=f"u{h}"),
             text="someone hacked my account, fraud, help now",
             created_at=MONDAY + timedelta(hours=h))
        for h in range(168)
    ]  # fmt: skip
    desk = CaseDesk(clock=lambda: MONDAY + timedelta(days=7))
    Runner([*analysis_stages(enrich=True), PersistStage(database, desk)]).process(
        Batch(source="t", items=tuple(Envelope(post=p) for p in posts))
    )
    result = CliRunner().invoke(
        app, ["staffing", "--hours", "mon-fri 09:00-22:00", "--database-url", database_url]
    )
    assert result.exit_code == 0, result.output
    # Open 65 of 168 hours: 103 closed, of which the last before each of 5 openings waits
    # under an hour: 98 of 168 urgent posts waited longer.
    assert "168 urgent posts; 58.3% of them" in result.output
    # A case an hour needs one agent every hour; the desk is closed 103 of them.
    assert "103 hours of the week are short of agents (103 agent-hours)" in result.output
    assert "Move to 24/7" in result.output


def test_bursts_count_as_three_times_their_usual_hour() -> None:
    eastern = ZoneInfo("America/New_York")
    hourly = [(MONDAY + timedelta(hours=h), 4) for h in range(4 * 168)]
    outage = 3 * 168 + 20  # the last week's Monday 20:00 UTC
    hourly[outage] = (hourly[outage][0], 400)
    kept, cut = without_bursts(hourly, eastern)
    assert cut == 1
    assert kept[outage][1] == 12  # 3 times the median of that hour over four weeks
    assert [n for i, (_, n) in enumerate(kept) if i != outage] == [4] * (4 * 168 - 1)
    # With fewer than three weeks to take a median from, nothing is called a burst.
    assert without_bursts(hourly[-2 * 168 :], eastern) == (hourly[-2 * 168 :], 0)


def letters(number: int) -> str:
    return "".join(chr(ord("a") + int(digit)) for digit in str(number))


def test_the_forecast_leaves_out_the_hour_under_way_and_bursts(database: Database) -> None:
    # A case an hour for three weeks, a burst of 60 in one hour, and 60 more in the hour
    # still under way when the report runs.
    hours = [MONDAY + timedelta(hours=h) for h in range(3 * 168)]
    burst = MONDAY + timedelta(days=16, hours=15)  # Wednesday 15:30 UTC, week three
    now = hours[-1] + timedelta(hours=1)  # 00:30, the hour from 00:00 under way
    arrivals = [*hours, *([burst] * 59), *([now - timedelta(minutes=20)] * 60)]
    # A word of letters made from the number: no two texts are copies of one (see
    # care/fingerprint.py), so each opens its own case.
    posts = [
        Post(network="x", source_id=str(i), author=Author(source_id=f"a{i}", handle=f"u{i}"),
             text=f"someone hacked my account, fraud, help now, ref {letters(i)}",
             created_at=moment)
        for i, moment in enumerate(arrivals)
    ]  # fmt: skip
    desk = CaseDesk(clock=lambda: now)
    Runner([*analysis_stages(enrich=True), PersistStage(database, desk)]).process(
        Batch(source="t", items=tuple(Envelope(post=p) for p in posts))
    )
    report = staffing_report(database, {"daily": "00:00-24:00", "timezone": "UTC"},
                             now=now)  # fmt: skip
    assert "1 burst hour(s)" in report.forecast_kind
    # A case an hour needs one agent; the burst hour, counted as 3, needs no more than two.
    assert max(report.needed) <= 2
    assert sorted(report.needed)[-2] == 1  # only the burst's hour of the week stands out
