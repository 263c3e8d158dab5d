"""The demo's simulated care team closes the loop: it answers, resolves, the customers get
the Net Promoter question, answer it, and the scores land in the surveys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from rapport.care.channels import SimulatedNetwork
from rapport.demo.live import demo_overrides, ingest_history
from rapport.demo.team import DemoTeam
from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database, schema
from rapport.web.app import create_app


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_demo_team_answers_resolves_and_surveys(tmp_path: object, database_url: str) -> None:
    settings = Settings.load(
        {"data_dir": tmp_path, "database_url": database_url, **demo_overrides(environ={})},
        environ={},
    )
    database = Database(settings.database_url)
    database.upgrade()
    runner = build_runner(settings, database)
    app = create_app(settings, database, runner)
    with TestClient(app):
        ingest_history(runner, 1500, rate=20.0, seed=5)
        for network in app.state.reply_desk.channels.values():
            assert isinstance(network, SimulatedNetwork)
            network.answer_probability = 1.0
        team = DemoTeam(database, app.state.reply_desk, app.state.survey_desk,
                        app.state.sla_book)  # fmt: skip
        now = datetime.now(UTC)
        sent, _ = team.tick(now)
        assert sent >= 3  # one answer per team queue
        _, resolved = team.tick(now + timedelta(minutes=5))
        assert resolved >= 1
        for network in app.state.reply_desk.channels.values():
            network.pump(now + timedelta(hours=1))
        with database.reading() as conn:
            asked = conn.execute(sa.select(sa.func.count()).select_from(schema.surveys)).scalar()
            scored = conn.execute(
                sa.select(sa.func.count())
                .select_from(schema.surveys)
                .where(schema.surveys.c.score.is_not(None))
            ).scalar()
    database.close()
    assert asked is not None
    assert asked >= 1
    assert scored is not None
    assert scored >= 1
