"""The pipeline over each bus backend, on each database: the same result as the in-process
runner, and nothing lost or doubled when workers die, messages are poison, or the
database goes away for a while."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import msgspec
import pytest
import sqlalchemy as sa

from rapport.bus.base import ROUTED, Bus
from rapport.bus.codec import decode
from rapport.bus.groups import group
from rapport.bus.threads import WorkerThreads
from rapport.bus.worker import Worker
from rapport.errors import InputError
from rapport.pipeline.build import build_runner
from rapport.pipeline.stage import Stage
from rapport.records import Batch
from rapport.store import Database
from tests.bus.pipeline import (
    POSTS,
    counts,
    demo_settings,
    publish,
    raw_batches,
    reference_counts,
    wait_drained,
    wait_pending,
)


@pytest.fixture
def pipeline(tmp_path: Path, database_url: str, database: Database) -> list[Stage]:
    return build_runner(demo_settings(tmp_path, database_url), database).stages


@pytest.fixture(scope="module")
def in_process_counts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    return reference_counts(tmp_path_factory.mktemp("reference"))


def test_the_bus_pipeline_stores_what_the_in_process_runner_stores(
    bus: Bus, pipeline: list[Stage], database: Database, in_process_counts: dict[str, int]
) -> None:
    with WorkerThreads(bus, pipeline, poll=0.1):
        publish(bus, raw_batches())
        wait_drained(bus)
    found = counts(database)
    assert found == in_process_counts
    assert found["posts"] == found["distinct posts"] == POSTS
    assert found["cases"] > 10
    assert found["quarantine"] == 1


def test_posts_sent_again_store_nothing_twice(
    bus: Bus, pipeline: list[Stage], database: Database
) -> None:
    with WorkerThreads(bus, pipeline, poll=0.1):
        publish(bus, raw_batches(), prefix="first")
        wait_drained(bus)
        before = counts(database)
        publish(bus, raw_batches(), prefix="again")  # new message ids: the bus cannot tell
        wait_drained(bus)
    assert counts(database) == before


def test_a_worker_that_dies_after_committing_leaves_no_double(
    bus: Bus, pipeline: list[Stage], database: Database, in_process_counts: dict[str, int]
) -> None:
    batches = raw_batches()
    with WorkerThreads(bus, pipeline, groups=["enrich", "route"], poll=0.1):
        publish(bus, batches)
        wait_pending(bus, ROUTED, len(batches))
    persist = group("persist", pipeline).stages[0]
    # A persist worker takes a message, commits it, and is killed before acknowledging.
    (taken,) = bus.fetch(ROUTED, "persist", limit=1, timeout=5)
    persist.process(decode(taken.data, where="test"))
    with WorkerThreads(bus, pipeline, groups=["persist"], poll=0.1):
        wait_drained(bus, [ROUTED])
    assert counts(database) == in_process_counts


def test_a_poison_message_goes_to_the_dead_letters_and_the_rest_flows(
    bus: Bus, pipeline: list[Stage], database: Database
) -> None:
    with WorkerThreads(bus, pipeline, poll=0.1):
        bus.publish("raw", b"\x92\xa3not a batch", msg_id="poison")
        publish(bus, raw_batches())
        wait_drained(bus)
    (letter,) = bus.dead_letters()
    assert letter.msg_id == "poison"
    assert letter.topic == "raw"
    assert "not a Rapport batch" in letter.reason
    assert letter.data == b"\x92\xa3not a batch"
    assert counts(database)["posts"] == POSTS


class FailOn(Stage):
    """Fails every time on the batch holding one post: a bug, not a passing outage."""

    name = "enrich"

    def __init__(self, inner: Stage, source_id: str) -> None:
        self.inner, self.source_id = inner, source_id

    def process(self, batch: Batch) -> Batch:
        if any(e.post.source_id == self.source_id for e in batch.items):
            raise ValueError(f"cannot enrich post {self.source_id}")
        return self.inner.process(batch)


def test_a_batch_that_always_fails_is_dead_lettered_after_its_attempts(
    bus: Bus, pipeline: list[Stage], database: Database
) -> None:
    batches = raw_batches()
    victim = batches[2].items[0].post.source_id
    stages = [FailOn(s, victim) if s.name == "enrich" else s for s in pipeline]
    with WorkerThreads(bus, stages, poll=0.1, max_attempts=2):
        publish(bus, batches)
        wait_drained(bus)
    (letter,) = bus.dead_letters()
    assert letter.attempts == 2
    assert f"ValueError: cannot enrich post {victim}" in letter.reason
    assert "enrich stage failed" in letter.reason
    assert counts(database)["posts"] == POSTS - len(batches[2].items)


class DatabaseAway(Stage):
    """The database drops the connection for the first `outages` batches."""

    name = "persist"
    needs_database = True

    def __init__(self, inner: Stage, outages: int) -> None:
        self.inner, self.outages = inner, outages

    def process(self, batch: Batch) -> Batch:
        if self.outages > 0:
            self.outages -= 1
            raise sa.exc.OperationalError("INSERT", {}, ConnectionError("server closed"))
        return self.inner.process(batch)


def test_a_database_outage_is_waited_out_without_redelivery(
    bus: Bus, pipeline: list[Stage], database: Database, in_process_counts: dict[str, int]
) -> None:
    persist = DatabaseAway(group("persist", pipeline).stages[0], outages=3)
    stages = [persist if s.name == "persist" else s for s in pipeline]
    worker = Worker(bus, group("persist", stages), poll=0.1, max_attempts=2)
    health: list[float] = []
    with WorkerThreads(bus, stages, groups=["enrich", "route"], poll=0.1):
        publish(bus, raw_batches())
        # All four routed messages wait, so the worker's first fetch takes them together.
        wait_pending(bus, ROUTED, POSTS // 100)
        stop = threading.Event()
        thread = threading.Thread(target=worker.run, args=(stop,))
        thread.start()
        wait_drained(bus)
        health.append(worker.metrics.value("rapport_worker_healthy"))
        stop.set()
        thread.join()
    # Three failures with max_attempts=2 and no dead letter: an outage is not the message's
    # fault, so it is held and retried in place, never counted against it.
    assert bus.dead_letters() == []
    assert persist.outages == 0
    assert health == [1.0]
    assert counts(database) == in_process_counts
    assert worker.metrics.value("rapport_worker_messages_total", outcome="done") == POSTS // 100


def test_a_big_batch_is_split_to_fit_the_bus(
    bus: Bus, pipeline: list[Stage], database: Database
) -> None:
    (one,) = raw_batches(POSTS, size=POSTS)
    many = Worker(bus, group("enrich", pipeline), max_bytes=60_000)
    with WorkerThreads(bus, pipeline, groups=["route", "persist"], poll=0.1):
        publish(bus, [one])
        while many.run_once():
            pass
        wait_drained(bus)
    assert counts(database)["posts"] == POSTS
    assert many.metrics.value("rapport_worker_posts_total") == POSTS


def test_a_message_is_decoded_by_the_codec_it_was_written_with() -> None:
    batch = raw_batches(10, size=10)[0]
    assert decode(msgspec.msgpack.encode(batch), where="t") == batch
    with pytest.raises(InputError, match="not a Rapport batch"):
        decode(msgspec.msgpack.encode({"items": "nope"}), where="t")


class Stored(Stage):
    """A persist stage that keeps the batches it was given."""

    name = "persist"
    needs_database = True

    def __init__(self) -> None:
        self.batches: list[Batch] = []

    def process(self, batch: Batch) -> Batch:
        self.batches.append(batch)
        return batch


def test_messages_fetched_with_one_held_through_an_outage_stay_the_workers(
    bus: Bus,
) -> None:
    first, second = raw_batches(200, size=100)
    for index, batch in enumerate((first, second)):
        bus.publish(ROUTED, msgspec.msgpack.encode(batch), msg_id=f"r{index}")
    stored = Stored()
    # 0.5 + 1 + 2 s of outage on the first message: past the 1 s acknowledgement wait.
    worker = Worker(
        bus, group("persist", [DatabaseAway(stored, outages=3)]), fetch=2, max_attempts=2
    )
    thread = threading.Thread(target=worker.run_once)
    thread.start()
    time.sleep(2.0)
    # The second message waits in the worker's hand: another worker must not get it.
    stolen = bus.fetch(ROUTED, "persist", limit=5, timeout=0.5)
    thread.join()

    assert stolen == []
    assert [len(b.items) for b in stored.batches] == [100, 100]
    assert bus.pending(ROUTED, "persist") == 0
