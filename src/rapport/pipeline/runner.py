"""A pipeline's stages, with the shortcuts most callers need: a stream of batches on
threads, one batch on the calling thread.

How stages run is a `Strategy` (pipeline/strategy.py); the runner only owns the stages,
so that whichever strategy runs them, they are closed once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rapport.pipeline.stage import Stage, split_at_database
from rapport.pipeline.strategies import InlineStrategy, ThreadsStrategy
from rapport.pipeline.strategy import Done
from rapport.records import Batch


class Runner:
    def __init__(self, stages: Sequence[Stage], *, queue_batches: int = 4) -> None:
        if not stages:
            raise ValueError("a pipeline needs at least one stage")
        self.stages = list(stages)
        self.queue_batches = queue_batches

    def run(self, batches: Iterable[Batch], on_done: Done | None = None) -> None:
        """Push every batch through every stage; `on_done` sees each finished batch in order."""
        ThreadsStrategy(self.stages, queue_batches=self.queue_batches).run(batches, on_done)

    def split(self) -> tuple[list[Stage], list[Stage]]:
        """(leading stages that need no database, the rest): what may run in another process."""
        return split_at_database(self.stages)

    def process(self, batch: Batch) -> Batch:
        """Run one batch through every stage on the calling thread (for request handlers)."""
        return InlineStrategy(self.stages).submit(batch)

    def close(self) -> None:
        for stage in self.stages:
            stage.close()
