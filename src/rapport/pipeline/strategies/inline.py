"""Every stage on the calling thread, one batch after the other.

For request handlers and short commands: one batch gains nothing from a thread per stage,
and the caller wants the finished batch back at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rapport.pipeline.stage import Stage
from rapport.pipeline.strategy import Done, Strategy
from rapport.records import Batch


class InlineStrategy(Strategy):
    name: ClassVar[str] = "inline"

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = tuple(stages)

    def submit(self, batch: Batch, *, key: str | None = None) -> Batch:
        for stage in self.stages:
            batch = stage.process(batch)
        return batch

    def run(self, source: Iterable[Batch], on_done: Done | None = None) -> None:
        for batch in source:
            finished = self.submit(batch)
            if on_done is not None:
                on_done(finished)
