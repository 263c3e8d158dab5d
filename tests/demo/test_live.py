"""The demo's feeding loops: history goes in at once, the live stream in real time."""

from __future__ import annotations

import threading
import time

import pytest

from rapport.demo.live import ingest_history, play_live
from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_history_then_live_posts_arrive_through_the_pipeline(
    settings: Settings, database: Database
) -> None:
    runner = build_runner(settings, database, enrich=False)

    stored = ingest_history(runner, 600, rate=50.0, seed=3)
    assert stored == database.count_posts() == 600
    assert len(database.stats()["by_lang"]) >= 10

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
