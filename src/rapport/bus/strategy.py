"""The bus strategy: batches go to the bus, and worker groups run the stages.

A batch is published to the topic of the group that runs the pipeline's first stage, so
the workers pick it up where the pipeline starts. It finishes later, in some worker;
`submit` only says the bus holds it durably.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import ClassVar

from rapport.bus.base import Bus
from rapport.bus.groups import SPLIT, place
from rapport.bus.threads import WorkerThreads, submit
from rapport.pipeline.stage import Stage
from rapport.pipeline.strategy import Done, Strategy
from rapport.records import Batch


class BusStrategy(Strategy):
    name: ClassVar[str] = "bus"

    def __init__(
        self,
        stages: Sequence[Stage],
        bus: Bus,
        *,
        host_workers: bool = False,
        max_attempts: int = 5,
    ) -> None:
        """`host_workers`: run every worker group on threads of this process (the
        in-process bus has no other workers)."""
        if not stages:
            raise ValueError("a pipeline needs at least one stage")
        self.bus = bus
        self.topic = place(stages)[0].consumes
        self.workers = (
            WorkerThreads(bus, stages, groups=SPLIT, max_attempts=max_attempts).start()
            if host_workers
            else None
        )

    def submit(self, batch: Batch, *, key: str | None = None) -> None:
        submit(self.bus, batch, msg_id=key or uuid.uuid4().hex, topic=self.topic)

    def run(self, source: Iterable[Batch], on_done: Done | None = None) -> None:
        """Publish every batch; `on_done` sees each one once the bus holds it, unfinished."""
        for batch in source:
            self.submit(batch, key=f"{batch.source} #{batch.sequence}")
            if on_done is not None:
                on_done(batch)

    def close(self) -> None:
        """Stop the hosted workers once they finish the messages in hand."""
        if self.workers is not None:
            self.workers.stop()
