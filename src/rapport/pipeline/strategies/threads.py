"""Each stage on its own thread, joined by bounded queues.

A full queue blocks the stage before it, so a slow writer slows the reader instead of
letting batches pile up in memory (back-pressure). Batches leave in the order they came.
The first exception in any stage stops the run and is raised to the caller; whatever
was committed before it stays committed, and re-running is safe because writes are
idempotent.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from rapport.pipeline.stage import Stage
from rapport.pipeline.strategies.inline import InlineStrategy
from rapport.pipeline.strategy import Done, Strategy
from rapport.records import Batch

_END = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class ThreadsStrategy(Strategy):
    name: ClassVar[str] = "threads"

    def __init__(self, stages: Sequence[Stage], *, queue_batches: int = 4) -> None:
        self.stages = tuple(stages)
        self.queue_batches = queue_batches

    def submit(self, batch: Batch, *, key: str | None = None) -> Batch:
        # Threads pay off over a stream of batches; one batch is quickest on this thread.
        return InlineStrategy(self.stages).submit(batch)

    def run(self, source: Iterable[Batch], on_done: Done | None = None) -> None:
        queues: list[queue.Queue[Any]] = [
            queue.Queue(maxsize=self.queue_batches) for _ in range(len(self.stages) + 1)
        ]
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=_feed, args=(source, queues[0], stop), name="rapport-source", daemon=True
            )
        ]
        for index, stage in enumerate(self.stages):
            threads.append(
                threading.Thread(
                    target=_work,
                    args=(stage, queues[index], queues[index + 1], stop),
                    name=f"rapport-{stage.name}",
                    daemon=True,
                )
            )
        for thread in threads:
            thread.start()
        failure: BaseException | None = None
        try:
            while True:
                item = queues[-1].get()
                if item is _END:
                    break
                if isinstance(item, _Failed):
                    failure = item.error
                    break
                if on_done is not None:
                    on_done(item)
        except BaseException as exc:
            failure = exc
        finally:
            if failure is not None:
                stop.set()
                for q in queues:
                    _drain(q)
            for thread in threads:
                thread.join(timeout=30)
        if failure is not None:
            raise failure


def _feed(batches: Iterable[Batch], out: queue.Queue[Any], stop: threading.Event) -> None:
    try:
        for batch in batches:
            if not _put(out, batch, stop):
                return
    except BaseException as exc:
        _put(out, _Failed(exc), stop)
        return
    _put(out, _END, stop)


def _work(
    stage: Stage, inbox: queue.Queue[Any], out: queue.Queue[Any], stop: threading.Event
) -> None:
    while not stop.is_set():
        try:
            item = inbox.get(timeout=0.1)
        except queue.Empty:
            continue
        if item is _END or isinstance(item, _Failed):
            _put(out, item, stop)
            return
        try:
            result = stage.process(item)
        except BaseException as exc:
            _put(out, _Failed(exc), stop)
            return
        if not _put(out, result, stop):
            return


def _put(q: queue.Queue[Any], item: Any, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            q.put(item, timeout=0.1)
        except queue.Full:
            continue
        return True
    return False


def _drain(q: queue.Queue[Any]) -> None:
    while True:
        try:
            q.get_nowait()
        except queue.Empty:
            return
