"""The in-process runner: order, back-pressure, failure."""

from __future__ import annotations

import threading
import time

import pytest

from rapport.pipeline.runner import Runner
from rapport.pipeline.stage import Stage
from rapport.records import Batch


class Tag(Stage):
    name = "tag"

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.seen: list[int] = []

    def process(self, batch: Batch) -> Batch:
        time.sleep(self.delay)
        self.seen.append(batch.sequence)
        return batch


class Explode(Stage):
    name = "explode"

    def process(self, batch: Batch) -> Batch:
        if batch.sequence == 3:
            raise RuntimeError("stage failed on batch 3")
        return batch


def batches(n: int) -> list[Batch]:
    return [Batch(source="t", sequence=i) for i in range(n)]


def test_batches_pass_every_stage_in_order() -> None:
    first, second = Tag(), Tag()
    done: list[int] = []
    Runner([first, second]).run(batches(20), lambda b: done.append(b.sequence))
    assert done == first.seen == second.seen == list(range(20))


def test_a_slow_stage_holds_back_the_source() -> None:
    produced: list[int] = []
    lock = threading.Lock()

    def source() -> object:
        for batch in batches(40):
            with lock:
                produced.append(batch.sequence)
            yield batch

    slow = Tag(delay=0.02)
    lead: list[int] = []

    def on_done(batch: Batch) -> None:
        with lock:
            lead.append(len(produced) - len(slow.seen))

    Runner([slow], queue_batches=2).run(source(), on_done)  # type: ignore[arg-type]
    # Bounded queues (2 before the stage, 2 after) plus one batch in each thread's hands.
    assert max(lead) <= 2 + 2 + 2


def test_the_first_failure_stops_the_run_and_reaches_the_caller() -> None:
    done: list[int] = []
    with pytest.raises(RuntimeError, match="batch 3"):
        Runner([Explode(), Tag()]).run(batches(100), lambda b: done.append(b.sequence))
    assert done == [0, 1, 2]


def test_a_failing_source_reaches_the_caller() -> None:
    def source() -> object:
        yield Batch(source="t")
        raise ValueError("bad file")

    with pytest.raises(ValueError, match="bad file"):
        Runner([Tag()]).run(source())  # type: ignore[arg-type]


def test_split_keeps_the_stages_that_need_the_database_together() -> None:
    class Store(Tag):
        name = "store"
        needs_database = True

    first, second, store, after = Tag(), Tag(), Store(), Tag()
    front, back = Runner([first, second, store, after]).split()
    assert front == [first, second]
    assert back == [store, after]
