"""The staffing report on stored history answers the issue's question for a desk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from rapport.care.desk import CaseDesk
from rapport.cli import app
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
