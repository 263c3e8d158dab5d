"""The one interface for running a pipeline's stages over batches.

Stages do the work; a strategy decides where and when: on the calling thread (inline), on a
thread per stage (threads), with the stages that need no database in a helper process
(process), or on the bus's worker groups (bus). Callers hand batches to whichever strategy
the settings chose and never ask which one it is. The shape follows the processing
strategies of getsentry/arroyo: submit work, then close and join.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import ClassVar

from rapport.records import Batch

Done = Callable[[Batch], None]


class Strategy(ABC):
    name: ClassVar[str]

    @abstractmethod
    def submit(self, batch: Batch, *, key: str | None = None) -> Batch | None:
        """Run one batch: the finished batch, or None when it finishes elsewhere, later.

        `key` names the batch for strategies that hand it on (the bus), so that handing
        the same batch over twice stores it once.
        """

    @abstractmethod
    def run(self, source: Iterable[Batch], on_done: Done | None = None) -> None:
        """Run every batch of `source` to its end; `on_done` sees each one finished, in order.

        The first error in any stage stops the run and is raised here.
        """

    def close(self) -> None:  # noqa: B027 - most strategies hold nothing of their own
        """Accept no more batches."""

    def join(self, timeout: float | None = None) -> None:  # noqa: B027 - see close
        """Wait, up to `timeout` seconds, for the batches handed over to finish."""
