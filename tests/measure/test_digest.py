"""The scheduled report: one HTML page of the week's figures, with every value escaped."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from rapport.cli import app
from rapport.measure.digest import render_report
from rapport.store import Database, schema
from tests.conftest import make_post


def test_the_report_shows_the_weeks_nps_and_escapes_what_it_shows(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    database.store_batch([make_post("1", "hi", created_at=now)])

    def seed(conn: sa.Connection) -> None:
        post_id = conn.execute(sa.select(schema.posts.c.id)).scalar_one()
        case_id = conn.execute(
            sa.insert(schema.cases).returning(schema.cases.c.id),
            {"network": "x", "conversation_id": "1", "customer_id": "a1",
             "customer_handle": "alice", "team": "<b>cards</b>", "root_post_id": post_id,
             "latest_post_id": post_id, "opened_at": now, "updated_at": now},
        ).scalar_one()  # fmt: skip
        conn.execute(sa.insert(schema.surveys), {
            "case_id": case_id, "network": "x", "customer_id": "a1", "team": "<b>cards</b>",
            "asked_at": now, "answered_at": now, "score": 10,
        })  # fmt: skip

    database.write(seed)
    page = render_report(database, now=now)
    assert "NPS +100 from 1 answers" in page
    assert "&lt;b&gt;cards&lt;/b&gt;" in page
    assert "<b>cards</b>" not in page
    result = CliRunner().invoke(app, ["report", str(tmp_path), "--database-url", database_url])
    assert result.exit_code == 0, result.output
    [written] = list(tmp_path.glob("rapport-report-*.html"))
    assert "Net Promoter" in written.read_text(encoding="utf-8")
