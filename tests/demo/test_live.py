"""The demo's feeding loops: history goes in at once, the live stream in real time."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from rapport.demo.live import demo_overrides, ingest_history, play_live
from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database
from rapport.store.alerts import list_alerts
from rapport.store.cases import queue, queue_summary


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_history_then_live_posts_arrive_through_the_pipeline(
    settings: Settings, database: Database
) -> None:
    runner = build_runner(settings, database, enrich=False)

    stored = ingest_history(runner, 600, rate=50.0, seed=3)
    assert stored == database.count_posts() == 600
    assert len(database.stats().by_lang) >= 10

    stop = threading.Event()
    feeder = threading.Thread(target=play_live, args=(runner, 200.0, stop, 3))
    feeder.start()
    time.sleep(2.0)
    stop.set()
    feeder.join(timeout=10)

    assert not feeder.is_alive()
    arrived = database.count_posts() - 600
    # About 200 posts/s for 2 s, released as their timestamps come due, not all at once.
    assert 100 <= arrived <= 600


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_demo_outage_raises_a_spike_and_queues_lead_with_what_to_answer_first(
    tmp_path: Path, database_url: str
) -> None:
    settings = Settings.load(
        {"data_dir": tmp_path, "database_url": database_url, **demo_overrides(environ={})},
        environ={},
    )
    database = Database(settings.database_url)
    database.upgrade()
    try:
        ingest_history(build_runner(settings, database), 8000, rate=20.0, seed=7)
        with database.reading() as conn:
            alerts = list_alerts(conn, kind="spike")
            summary = {q.team: q for q in queue_summary(conn)}
            tops = {team: queue(conn, team, limit=3) for team in summary}
    finally:
        database.close()

    subjects = {(a.subject_kind, a.subject) for a in alerts}
    assert ("hashtag", "novacarddown") in subjects or ("query", "novacard/outage") in subjects
    assert {"fraud_and_security", "account_access"} <= set(tops)
    for team, cases in tops.items():
        assert cases, team
        assert [c.priority for c in cases] == sorted((c.priority for c in cases), reverse=True)
        for case in cases:
            points = sum(r.points for r in case.reasons)
            assert points == pytest.approx(case.priority, abs=0.05)
    # The fraud queue leads with what the fraud rule routed (priority 90), not chatter.
    assert tops["fraud_and_security"][0].priority >= 90
    assert "fraud" in tops["fraud_and_security"][0].tags
