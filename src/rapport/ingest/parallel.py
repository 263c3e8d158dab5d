"""The process strategy: file ingest on two cores.

Read, parse, normalise and enrich in a helper process; persist here.

CPython runs one thread of Python at a time, so stage threads in one process compete for
the interpreter instead of working side by side; the writer's many short releases of the
lock to SQLite make that worse. A helper process owns the CPU-bound front of the pipeline
and hands finished batches over a bounded queue (back-pressure: it waits when the writer
falls behind). Batches cross as msgpack, which msgspec encodes and decodes in C.

The helper is started with `spawn`, so it inherits no threads or open connections. It
stops by itself when this process goes away (SIGKILL included), since nothing would read
what it produces.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import sys
import threading
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import msgspec

from rapport.ingest.base import Limits, batched
from rapport.ingest.formats import reader_for
from rapport.pipeline.stage import Stage, split_at_database
from rapport.pipeline.strategies import InlineStrategy, ThreadsStrategy
from rapport.pipeline.strategy import Done, Strategy
from rapport.records import Batch
from rapport.runtime import tune_for_batches

_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class FileJob:
    """Everything the helper needs to produce batches from one file; picklable."""

    path: str
    source: str
    format_name: str
    limits: Limits
    batch_size: int  # records the front stages work through at a time
    front: tuple[Stage, ...]
    # Records handed to the back stages at a time (one transaction): bigger than a front
    # batch, since models hold memory per record in flight and the store gains per batch.
    handover_size: int = 0  # 0: batch_size


class FileSource:
    """A file of posts as a source of batches.

    The process strategy reads it in its helper; any other strategy iterates it here.
    `read_to` tells how far into the file the batches finished so far were read.
    """

    def __init__(
        self, path: Path, format_name: str, limits: Limits, *, batch_size: int,
        handover_size: int = 0,
    ) -> None:  # fmt: skip
        self.path = path
        self.name = str(path.resolve())
        self.format_name = format_name
        self.limits = limits
        self.batch_size = batch_size
        self.handover_size = handover_size
        self.read_to = 0

    def __iter__(self) -> Iterator[Batch]:
        reader = reader_for(self.format_name, self.limits)
        with self.path.open("rb") as stream:
            for batch in batched(reader.read(stream, self.name), self.batch_size, self.name):
                self.read_to = stream.tell()
                yield batch

    def job(self, front: Sequence[Stage]) -> FileJob:
        return FileJob(
            path=str(self.path),
            source=self.name,
            format_name=self.format_name,
            limits=self.limits,
            batch_size=self.batch_size,
            front=tuple(stage for stage in front if not stage.passes_through),
            handover_size=self.handover_size,
        )


class ProcessStrategy(Strategy):
    """Files: the stages that need no database in a helper process, the rest here.

    Other sources have no helper to read them, so they run on a thread per stage.
    """

    name: ClassVar[str] = "process"

    def __init__(
        self, stages: Sequence[Stage], *, queue_batches: int = 4, decode_ahead: bool = True
    ) -> None:
        self.stages = tuple(stages)
        self.queue_batches = queue_batches
        self.decode_ahead = decode_ahead

    def submit(self, batch: Batch, *, key: str | None = None) -> Batch:
        return InlineStrategy(self.stages).submit(batch)

    def run(self, source: Iterable[Batch], on_done: Done | None = None) -> None:
        if not isinstance(source, FileSource):
            ThreadsStrategy(self.stages, queue_batches=self.queue_batches).run(source, on_done)
            return
        front, back = split_at_database(self.stages)

        def done(batch: Batch, offset: int) -> None:
            source.read_to = offset
            if on_done is not None:
                on_done(batch)

        # The back stages run on this thread, inside their blocks for a source read again.
        with ExitStack() as replayable:
            for stage in back:
                replayable.enter_context(stage.replayable_source())
            run_file(
                source.job(front),
                back,
                done,
                queue_batches=self.queue_batches,
                decode_ahead=self.decode_ahead,
            )


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Start a spawned helper without it running this program's main module again.

    `spawn` runs the parent's `__main__` again in the child, so that objects defined there
    can be unpickled. The helper needs none (its target and its job live in rapport), and
    the main module is usually a program that imports all of Rapport: the `rapport` command
    itself took 0.5 s to start the helper, a tenth of the time a 200,000-post file takes.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def run_file(
    job: FileJob,
    back: Sequence[Stage],
    on_done: Callable[[Batch, int], None],
    *,
    queue_batches: int = 4,
    decode_ahead: bool = True,
) -> None:
    """Run `job.front` (copies, pickled) in a helper process and `back` here.

    `on_done(batch, offset)` sees each finished batch in order, with how far into the file
    its reading had come. `decode_ahead`: decode batch N+1 on a thread of its own while
    batch N is written, or (False) just before it is written.
    """
    context = multiprocessing.get_context("spawn")
    handoff: Any = context.Queue(maxsize=queue_batches)
    helper = context.Process(
        target=_produce, args=(job, handoff, os.getpid()), name="rapport-ingest-front", daemon=True
    )
    with _main_module_hidden():
        helper.start()
    # Batch N+1 is received on a thread of its own while batch N is written, and decoded
    # there too when `decode_ahead`. PostgreSQL's writer spends most of a batch waiting
    # for the server, with the interpreter released, so there the decoding comes off the
    # critical path. SQLite's driver takes the interpreter back between rows, and a
    # decoder holding it made the writer wait for more than the decoding takes: decoding
    # in line was 5% faster (5 interleaved pairs, 200,000 posts), and 4-8% slower on
    # PostgreSQL.
    received: queue.Queue[_Received] = queue.Queue(maxsize=2)
    stop = threading.Event()
    receiver = threading.Thread(
        target=_receive,
        args=(job, helper, handoff, received, stop, decode_ahead),
        name="rapport-ingest-receive",
        daemon=True,
    )
    receiver.start()
    try:
        while True:
            item = received.get()
            if item is None:
                break
            if isinstance(item, BaseException):
                raise item
            offset, payload = item
            batch = payload if isinstance(payload, Batch) else _decode(payload)
            for stage in back:
                batch = stage.process(batch)
            on_done(batch, offset)
    finally:
        stop.set()
        if helper.is_alive():
            helper.terminate()
        receiver.join(timeout=10)
        helper.join(timeout=10)
        handoff.close()
        handoff.join_thread()


# What the receiving thread hands on: a batch (decoded or not) with its offset, the end, or
# a failure.
_Received = tuple[int, Batch | bytes] | BaseException | None
_decode = msgspec.msgpack.Decoder(Batch).decode


def _receive(
    job: FileJob,
    helper: Any,
    handoff: Any,
    received: queue.Queue[_Received],
    stop: threading.Event,
    decode_ahead: bool,
) -> None:

    def hand_on(item: _Received) -> bool:
        while not stop.is_set():
            try:
                received.put(item, timeout=_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        return False

    while not stop.is_set():
        try:
            item = handoff.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            if not helper.is_alive():
                hand_on(
                    RuntimeError(
                        f"the ingest helper for {job.source} stopped (exit code {helper.exitcode})"
                    )
                )
                return
            continue
        except (OSError, ValueError, EOFError):  # the queue was closed: we are stopping
            return
        if item is None:
            hand_on(None)
            return
        if isinstance(item, str):
            hand_on(RuntimeError(f"ingest of {job.source} failed in the helper: {item}"))
            return
        offset, payload = item
        if decode_ahead:
            try:
                payload = _decode(payload)
            except Exception as error:
                hand_on(error)
                return
        if not hand_on((offset, payload)):
            return


def _produce(job: FileJob, handoff: Any, parent: int) -> None:
    tune_for_batches()
    encode = msgspec.msgpack.Encoder().encode
    reader = reader_for(job.format_name, job.limits)

    def hand_over(item: object) -> bool:
        while os.getppid() == parent:
            try:
                handoff.put(item, timeout=_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        # The parent is gone. Exit would wait for the queue's buffer to drain into a pipe
        # nobody reads any more, so the helper would never end: drop what is buffered.
        handoff.cancel_join_thread()
        return False

    try:
        with open(job.path, "rb") as stream:
            done: list[Batch] = []
            records = 0
            # The first hand-overs are small and grow to the full size: the writer waits
            # idle for the first one, which came after the helper's whole start-up and a
            # full hand-over of work (0.75 s of a 10 s ingest of 200,000 posts).
            size = job.batch_size
            for batch in batched(reader.read(stream, job.source), job.batch_size, job.source):
                for stage in job.front:
                    batch = stage.process(batch)
                done.append(batch)
                records += len(batch.items) + len(batch.rejects)
                if records >= size:
                    if not hand_over((stream.tell(), encode(joined(done)))):
                        return
                    done, records = [], 0
                    size = min(2 * size, max(job.handover_size, job.batch_size))
            if done and not hand_over((stream.tell(), encode(joined(done)))):
                return
    except Exception as error:  # reported to the parent, which raises it
        hand_over(f"{type(error).__name__}: {error}")
        return
    hand_over(None)


def joined(batches: Sequence[Batch]) -> Batch:
    """Consecutive batches of one source as one, in order."""
    if len(batches) == 1:
        return batches[0]
    first = batches[0]
    return msgspec.structs.replace(
        first,
        items=tuple(e for b in batches for e in b.items),
        rejects=tuple(r for b in batches for r in b.rejects),
        alerts=tuple(a for b in batches for a in b.alerts),
    )
