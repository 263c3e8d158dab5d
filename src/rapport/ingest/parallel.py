"""File ingest on two cores: read, parse, normalise and enrich in a helper process; persist here.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from rapport.ingest.base import Limits, batched
from rapport.ingest.formats import reader_for
from rapport.pipeline.stage import Stage
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
    batch_size: int
    front: tuple[Stage, ...]


def run_file(
    job: FileJob,
    back: Sequence[Stage],
    on_done: Callable[[Batch, int], None],
    *,
    queue_batches: int = 4,
) -> None:
    """Run `job.front` (copies, pickled) in a helper process and `back` here.

    `on_done(batch, offset)` sees each finished batch in order, with how far into the file
    its reading had come.
    """
    context = multiprocessing.get_context("spawn")
    handoff: Any = context.Queue(maxsize=queue_batches)
    helper = context.Process(
        target=_produce, args=(job, handoff, os.getpid()), name="rapport-ingest-front", daemon=True
    )
    helper.start()
    decode = msgspec.msgpack.Decoder(Batch).decode
    try:
        while True:
            try:
                item = handoff.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if not helper.is_alive():
                    raise RuntimeError(
                        f"the ingest helper for {job.source} stopped (exit code {helper.exitcode})"
                    ) from None
                continue
            if item is None:
                break
            if isinstance(item, str):
                raise RuntimeError(f"ingest of {job.source} failed in the helper: {item}")
            offset, payload = item
            batch = decode(payload)
            for stage in back:
                batch = stage.process(batch)
            on_done(batch, offset)
    finally:
        if helper.is_alive():
            helper.terminate()
        helper.join(timeout=10)
        handoff.close()
        handoff.join_thread()


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
            for batch in batched(reader.read(stream, job.source), job.batch_size, job.source):
                for stage in job.front:
                    batch = stage.process(batch)
                if not hand_over((stream.tell(), encode(batch))):
                    return
    except Exception as error:  # reported to the parent, which raises it
        hand_over(f"{type(error).__name__}: {error}")
        return
    hand_over(None)
