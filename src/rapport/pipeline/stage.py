"""The one interface every pipeline stage implements.

A stage takes a `Batch` and returns a `Batch`. It keeps no per-batch state between calls,
so the same object can run inside the in-process runner or behind a message bus, one
copy or many.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import ClassVar

from rapport.records import Batch


class Stage(ABC):
    name: ClassVar[str]
    # Stages that touch the database run where the database connection lives; the others
    # may run anywhere, for example in the helper process of file ingest.
    needs_database: ClassVar[bool] = False

    @abstractmethod
    def process(self, batch: Batch) -> Batch:
        """Return the batch with this stage's work done; rejects found here join `batch.rejects`."""

    @property
    def passes_through(self) -> bool:
        """Whether every batch comes back as it came, so a strategy may skip the stage."""
        return False

    def close(self) -> None:  # noqa: B027 - most stages hold nothing to release
        """Release what the stage holds (connections, files)."""

    def replayable_source(self) -> AbstractContextManager[None]:
        """A block in which the batches this thread passes come from a source that can be
        read again (a file).

        A stage may then trade the durability of each batch for speed, as long as all it
        wrote is durable when the block ends: a crash inside the block is repaired by
        reading the source again, which stores nothing twice.
        """
        return nullcontext()


def split_at_database(stages: Sequence[Stage]) -> tuple[list[Stage], list[Stage]]:
    """(leading stages that need no database, the rest): what may run in another process."""
    cut = next((i for i, stage in enumerate(stages) if stage.needs_database), len(stages))
    return list(stages[:cut]), list(stages[cut:])
