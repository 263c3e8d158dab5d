"""Ingest files end to end: guess the format, read, run the pipeline, count what happened."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from rapport.errors import InputError
from rapport.ingest.base import Limits, batched
from rapport.ingest.formats import guess_format, reader_for
from rapport.ingest.parallel import FileJob, run_file
from rapport.pipeline.enrich import EnrichStage
from rapport.pipeline.runner import Runner
from rapport.pipeline.stage import Stage
from rapport.records import Batch
from rapport.settings import Settings
from rapport.store.urls import backend_name

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
    runner: Runner,
    limits: Limits,
    batch_size: int,
    progress: Progress | None = None,
) -> IngestSummary:
    """Read `stream` in `format_name` and run every batch through `runner`."""
    reader = reader_for(format_name, limits)
    summary = IngestSummary(source=source, format=format_name)
    seekable = stream.seekable()

    def done(batch: Batch) -> None:
        summary.add(batch)
        if progress is not None and seekable:
            progress(stream.tell())

    runner.run(batched(reader.read(stream, source), batch_size, source), done)
    return summary


def ingest_file(
    path: Path,
    format_name: str,
    *,
    settings: Settings,
    runner: Runner,
    progress: Progress | None = None,
) -> IngestSummary:
    """Ingest one file, the runner's stages that need no database in a helper process."""
    source = str(path.resolve())
    summary = IngestSummary(source=source, format=format_name)
    front, back = runner.split()
    job = FileJob(
        path=str(path),
        source=source,
        format_name=format_name,
        limits=Limits.from_settings(settings),
        batch_size=settings.batch_size,
        front=tuple(stage for stage in front if not _passes_through(stage)),
        handover_size=settings.file_batch_size,
    )

    def done(batch: Batch, offset: int) -> None:
        summary.add(batch)
        if progress is not None:
            progress(offset)

    # The back stages run on this thread, inside their blocks for a source read again.
    with ExitStack() as replayable:
        for stage in back:
            replayable.enter_context(stage.replayable_source())
        run_file(
            job,
            back,
            done,
            queue_batches=settings.queue_batches,
            decode_ahead=backend_name(settings.database_url) != "sqlite",
        )
    return summary


def _passes_through(stage: Stage) -> bool:
    """Whether `stage` returns every batch as it came, so the helper need not run it.

    Enrichment without enrichers (`--no-enrich`) does; shipping it anyway would make the
    helper import SciPy, a second and more of start-up that the writer spends waiting for
    the first batch.
    """
    return isinstance(stage, EnrichStage) and not stage.enrichers


def ingest_paths(
    paths: Iterable[Path],
    *,
    settings: Settings,
    runner: Runner,
    format_name: str = "auto",
    on_file: Callable[[Path, int], Progress | None] | None = None,
) -> list[IngestSummary]:
    """Ingest each path (`-`: standard input); `on_file(path, size)` may return a progress hook.

    With `settings.ingest_processes` on, files run on two processes (the stages that need the
    database stay here); standard input, and files otherwise, run on `runner`'s threads.
    """
    limits = Limits.from_settings(settings)
    summaries = []
    for path in paths:
        if str(path) == "-":
            chosen = "rapport-jsonl" if format_name == "auto" else format_name
            summaries.append(
                ingest_stream(
                    sys.stdin.buffer, "stdin", chosen, runner=runner, limits=limits,
                    batch_size=settings.batch_size,
                )
            )  # fmt: skip
            continue
        if not path.is_file():
            raise InputError(f"no such file: {path}", where="rapport ingest")
        chosen = guess_format(path) if format_name == "auto" else format_name
        progress = on_file(path, path.stat().st_size) if on_file else None
        if settings.ingest_processes:
            summaries.append(
                ingest_file(path, chosen, settings=settings, runner=runner, progress=progress)
            )
            continue
        with path.open("rb") as stream:
            summaries.append(
                ingest_stream(
                    stream, str(path.resolve()), chosen, runner=runner, limits=limits,
                    batch_size=settings.batch_size, progress=progress,
                )
            )  # fmt: skip
    return summaries
