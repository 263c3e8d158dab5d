"""The case relay: cases changed by another process (a bus worker, another web tier) reach
this process's consoles, each change once, in the kind the console knows it by."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from rapport.actions import cases as actions
from rapport.actions.base import Context
from rapport.care.hub import Event, Hub, Subscription
from rapport.care.relay import CaseRelay
from rapport.pipeline.build import build_runner
from rapport.pipeline.persist import PersistStage
from rapport.store import Database, schema
from rapport.store.cases import last_event_id
from tests.actions.test_cases import agent
from tests.bus.pipeline import demo_settings, raw_batches
from tests.web.test_desk import open_cases


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


def drain(subscription: Subscription) -> list[Event]:
    found = []
    while (event := subscription.get_nowait()) is not None:
        found.append(event)
    return found


def test_a_change_made_here_is_announced_once(database: Database) -> None:
    (case_id,) = open_cases(database, 1)
    ana = agent(database, "ana@bank.test")
    hub = Hub()
    console = hub.subscribe("default")
    relay = CaseRelay(database, hub)
    relay.run_once()
    actions.claim_case(Context(database, hub), ana, case_id)
    assert [e["change"] for e in drain(console)] == ["claimed"]  # at once, at commit
    assert relay.run_once() == 0
    assert drain(console) == []


def test_changes_made_on_another_tier_are_announced_with_their_kind(database: Database) -> None:
    (case_id,) = open_cases(database, 1)
    ana = agent(database, "ana@bank.test")
    hub = Hub()
    console = hub.subscribe("default")
    relay = CaseRelay(database, hub)
    relay.run_once()
    other_tier = Context(database, Hub())
    steps: list[tuple[Callable[[], object], str]] = [
        (lambda: actions.claim_case(other_tier, ana, case_id), "claimed"),
        (lambda: actions.add_note(other_tier, ana, case_id, "asked for the receipt"), "note"),
        (lambda: actions.set_tags(other_tier, ana, case_id, ["refund"]), "updated"),
        (lambda: actions.release_case(other_tier, ana, case_id), "released"),
    ]
    for step, change in steps:
        step()
        assert relay.run_once() == 1
        (event,) = drain(console)
        assert (event["type"], event["id"], event["team"], event["change"]) == (
            "case", case_id, "cards", change
        )  # fmt: skip
        assert {"at"} < set(event)


def test_an_event_committed_late_under_a_lower_id_is_announced(database: Database) -> None:
    first, second = open_cases(database, 2)
    hub = Hub()
    console = hub.subscribe("default")
    relay = CaseRelay(database, hub)
    relay.run_once()
    with database.reading() as conn:
        last = last_event_id(conn)

    def event(event_id: int, case_id: int) -> None:
        row = {"id": event_id, "case_id": case_id, "at": datetime.now(UTC), "kind": "reopened"}
        database.write(lambda conn: conn.execute(sa.insert(schema.case_events), row))

    # PostgreSQL gave out `last + 1` first, but its transaction commits after `last + 2`'s.
    event(last + 2, second)
    assert relay.run_once() == 1
    event(last + 1, first)
    assert relay.run_once() == 1
    assert [e["id"] for e in drain(console)] == [second, first]
    assert relay.run_once() == 0
