"""The case relay: cases written by another process reach this process's consoles."""

from __future__ import annotations

from pathlib import Path

from rapport.care.hub import Hub
from rapport.care.relay import CaseRelay
from rapport.pipeline.build import build_runner
from rapport.pipeline.persist import PersistStage
from rapport.store import Database
from tests.bus.pipeline import demo_settings, raw_batches


def test_cases_opened_elsewhere_are_announced_once(
    tmp_path: Path, database_url: str, database: Database
) -> None:
    runner = build_runner(demo_settings(tmp_path, database_url), database)
    elsewhere = runner.stages[-1]
    assert isinstance(elsewhere, PersistStage)
    elsewhere.hub = Hub()  # the worker's own hub, which nobody follows
    web_hub = Hub()
    relay = CaseRelay(database, web_hub)
    batches = raw_batches(300)
    runner.process(batches[0])
    assert relay.run_once() == 0  # the first look only notes where the events end
    console = web_hub.subscribe("default")
    for batch in batches[1:]:
        runner.process(batch)
    announced = relay.run_once()
    events = []
    while (event := console.get_nowait()) is not None:
        events.append(event)
    assert announced > 0
    assert len(events) == announced
    assert {e["change"] for e in events} >= {"opened"}
    assert relay.run_once() == 0  # nothing new since
    assert console.get_nowait() is None


def test_nothing_is_read_back_while_nobody_listens(
    tmp_path: Path, database_url: str, database: Database
) -> None:
    runner = build_runner(demo_settings(tmp_path, database_url), database)
    runner.stages[-1].hub = Hub()  # type: ignore[attr-defined]
    web_hub = Hub()
    relay = CaseRelay(database, web_hub)
    relay.run_once()
    for batch in raw_batches(300):
        runner.process(batch)
    assert relay.run_once() == 0
    console = web_hub.subscribe("default")  # a console arriving later gets only what is new
    assert relay.run_once() == 0
    assert console.get_nowait() is None
