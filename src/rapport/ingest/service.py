"""Ingest files end to end: guess the format, read, run the pipeline, count what happened."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from rapport.errors import InputError
from rapport.ingest.base import Limits, batched
from rapport.ingest.formats import guess_format, reader_for
from rapport.ingest.parallel import FileSource
from rapport.pipeline.strategy import Strategy
from rapport.records import Batch
from rapport.settings import Settings

# Exit codes of `rapport ingest`: everything stored, some records quarantined, nothing usable.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_PARTIAL = 3


@dataclass
class IngestSummary:
    source: str
    format: str
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, batch: Batch) -> None:
        for envelope in batch.items:
            if envelope.duplicate:
                self.duplicates += 1
            else:
                self.stored += 1
        self.quarantined += len(batch.rejects)
        for reject in batch.rejects:
            kind = reject.reason.split(":")[0][:60]
            self.reasons[kind] = self.reasons.get(kind, 0) + 1

    @property
    def exit_code(self) -> int:
        return EXIT_PARTIAL if self.quarantined else EXIT_OK


Progress = Callable[[int], None]


def ingest_stream(
    stream: BinaryIO,
    source: str,
    format_name: str,
    *,
    strategy: Strategy,
    limits: Limits,
    batch_size: int,
    progress: Progress | None = None,
) -> IngestSummary:
    """Read `stream` in `format_name` and run every batch through `strategy`."""
    reader = reader_for(format_name, limits)
    summary = IngestSummary(source=source, format=format_name)
    seekable = stream.seekable()

    def done(batch: Batch) -> None:
        summary.add(batch)
        if progress is not None and seekable:
            progress(stream.tell())

    strategy.run(batched(reader.read(stream, source), batch_size, source), done)
    return summary


def ingest_file(
    path: Path,
    format_name: str,
    *,
    settings: Settings,
    strategy: Strategy,
    progress: Progress | None = None,
) -> IngestSummary:
    """Ingest one file, read where `strategy` reads files."""
    source = FileSource(
        path,
        format_name,
        Limits.from_settings(settings),
        batch_size=settings.batch_size,
        handover_size=settings.file_batch_size,
    )
    summary = IngestSummary(source=source.name, format=format_name)

    def done(batch: Batch) -> None:
        summary.add(batch)
        if progress is not None:
            progress(source.read_to)

    strategy.run(source, done)
    return summary


def ingest_paths(
    paths: Iterable[Path],
    *,
    settings: Settings,
    strategy: Strategy,
    format_name: str = "auto",
    on_file: Callable[[Path, int], Progress | None] | None = None,
) -> list[IngestSummary]:
    """Ingest each path (`-`: standard input); `on_file(path, size)` may return a progress hook."""
    limits = Limits.from_settings(settings)
    summaries = []
    for path in paths:
        if str(path) == "-":
            chosen = "rapport-jsonl" if format_name == "auto" else format_name
            summaries.append(
                ingest_stream(
                    sys.stdin.buffer, "stdin", chosen, strategy=strategy, limits=limits,
                    batch_size=settings.batch_size,
                )
            )  # fmt: skip
            continue
        if not path.is_file():
            raise InputError(f"no such file: {path}", where="rapport ingest")
        chosen = guess_format(path) if format_name == "auto" else format_name
        progress = on_file(path, path.stat().st_size) if on_file else None
        summaries.append(
            ingest_file(path, chosen, settings=settings, strategy=strategy, progress=progress)
        )
    return summaries
