"""File ingest on two processes: batches come back in order, and helper failures surface."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from rapport.ingest.base import Limits
from rapport.ingest.parallel import FileJob, run_file
from rapport.pipeline.enrich import EnrichStage
from rapport.pipeline.enrichers import LanguageEnricher
from rapport.pipeline.normalise import NormaliseStage
from rapport.records import Batch
from tests.ingest.corpus import good, line

LIMITS = Limits(max_text_chars=1000, max_record_bytes=10_000, networks=frozenset({"x"}))


def job(path: Path) -> FileJob:
    return FileJob(
        path=str(path), source=str(path), format_name="rapport-jsonl", limits=LIMITS,
        batch_size=10, front=(NormaliseStage(),),
    )  # fmt: skip


def test_the_helper_normalises_and_hands_back_every_batch_in_order(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        b"\n".join(line(good(str(i), text=f" #Tag{i}  \u202e")) for i in range(35)) + b"\n{bad\n"
    )
    seen: list[Batch] = []
    offsets: list[int] = []

    def done(batch: Batch, offset: int) -> None:
        seen.append(batch)
        offsets.append(offset)

    run_file(job(source), [], done)

    posts = [e.post for b in seen for e in b.items]
    assert [p.source_id for p in posts] == [str(i) for i in range(35)]
    assert posts[7].text == "#Tag7"
    assert posts[7].hashtags == ("tag7",)
    assert [r.location for b in seen for r in b.rejects] == ["line 36"]
    assert offsets == sorted(offsets)
    assert offsets[-1] == source.stat().st_size


def test_a_failure_in_the_helper_is_raised_here(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="failed in the helper: FileNotFoundError"):
        run_file(job(tmp_path / "gone.jsonl"), [], lambda batch, offset: None)


def test_a_failure_here_stops_the_helper_and_is_raised(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(line(good(str(i))) for i in range(500)) + b"\n")

    class Broken(NormaliseStage):
        def process(self, batch: Batch) -> Batch:
            raise ValueError("disk full")

    with pytest.raises(ValueError, match="disk full"):
        run_file(job(source), [Broken()], lambda batch, offset: None)


def test_enrichment_without_enrichers_stays_here() -> None:
    assert EnrichStage([]).passes_through
    assert not EnrichStage([LanguageEnricher()]).passes_through
    assert not NormaliseStage().passes_through


class NoteFrontBatch(NormaliseStage):
    """Writes into each post's `lang` how many posts its front batch had (it runs in the
    helper process, so it can only report through the posts)."""

    def process(self, batch: Batch) -> Batch:
        size = str(len(batch.items))
        return msgspec.structs.replace(
            batch,
            items=tuple(
                msgspec.structs.replace(e, post=msgspec.structs.replace(e.post, lang=size))
                for e in batch.items
            ),
        )


def test_files_are_stored_in_batches_that_grow_to_the_file_batch_size(tmp_path: Path) -> None:
    """The models read batch_size posts at a time; the store gets file_batch_size at once,
    after a first hand-over of one front batch, so that the writer starts early."""
    from rapport.ingest.parallel import ProcessStrategy
    from rapport.ingest.service import ingest_paths
    from rapport.settings import Settings

    class Store(NormaliseStage):
        needs_database = True

        def process(self, batch: Batch) -> Batch:
            stored.append([e.post.lang for e in batch.items])
            return batch

    stored: list[list[str | None]] = []
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(line(good(str(i))) for i in range(120)) + b"\n")
    settings = Settings.load(
        {"data_dir": tmp_path, "batch_size": 5, "file_batch_size": 40}, environ={}
    )
    [summary] = ingest_paths(
        [source], settings=settings, strategy=ProcessStrategy([NoteFrontBatch(), Store()])
    )

    assert [len(batch) for batch in stored] == [5, 10, 20, 40, 40, 5]
    assert {lang for batch in stored for lang in batch} == {"5"}
    assert summary.stored == 120


def test_the_helper_does_not_run_the_main_program_again(tmp_path: Path) -> None:
    """`spawn` runs the parent's main module again in the child unless told otherwise;
    for `rapport` that imports everything, half a second before the first batch."""
    import os
    import subprocess
    import sys

    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(line(good(str(i))) for i in range(3)) + b"\n")
    runs = tmp_path / "runs.txt"
    program = tmp_path / "program.py"
    program.write_text(
        f"""
with open({str(runs)!r}, "a") as log:
    log.write("ran\\n")  # each time this module runs, in any process

if __name__ == "__main__":
    from pathlib import Path

    from rapport.ingest.parallel import run_file
    from tests.ingest.test_parallel import job

    stored = []
    run_file(job(Path({str(source)!r})), [], lambda batch, offset: stored.extend(batch.items))
    print(len(stored))
""",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(program)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "3"
    assert runs.read_text().splitlines() == ["ran"]


def test_a_file_runs_here_on_threads_when_the_helper_is_not_chosen(tmp_path: Path) -> None:
    from rapport.ingest.parallel import FileSource
    from rapport.pipeline.strategies import ThreadsStrategy

    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(line(good(str(i))) for i in range(25)) + b"\n")
    file = FileSource(source, "rapport-jsonl", LIMITS, batch_size=10)
    seen: list[tuple[int, int]] = []
    ThreadsStrategy([NormaliseStage()]).run(
        file, lambda batch: seen.append((len(batch.items), file.read_to))
    )

    assert [count for count, _ in seen] == [10, 10, 5]
    assert seen[-1][1] == source.stat().st_size


def test_the_process_strategy_runs_other_sources_on_threads() -> None:
    import os

    from rapport.ingest.parallel import ProcessStrategy

    class OnThisProcess(NormaliseStage):
        def process(self, batch: Batch) -> Batch:
            pids.append(os.getpid())
            return batch

    pids: list[int] = []
    done: list[Batch] = []
    ProcessStrategy([OnThisProcess()]).run(
        [Batch(source="s", sequence=i) for i in range(3)], done.append
    )

    assert [b.sequence for b in done] == [0, 1, 2]
    assert pids == [os.getpid()] * 3
