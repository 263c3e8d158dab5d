"""Files published to the bus: every good post stored once, every bad record quarantined
with its reason and line, and publishing the file again stores nothing twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rapport.bus.base import Bus
from rapport.bus.files import publish_files
from rapport.bus.threads import WorkerThreads
from rapport.ingest.base import Limits
from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database
from rapport.store.quarantine import list_entries
from tests.bus.conftest import NATS_URL
from tests.bus.pipeline import wait_drained
from tests.ingest.corpus import MALFORMED, good, line


def write_file(path: Path, posts: int) -> Path:
    with path.open("wb") as out:
        for n in range(posts):
            out.write(line(good(str(n), reply_to_id=str(n - 1) if n % 4 else None)) + b"\n")
        for _, raw, _ in MALFORMED[:4]:
            out.write(raw + b"\n")
    return path


def test_a_file_goes_through_the_workers_once(
    bus: Bus, settings: Settings, database: Database, tmp_path: Path
) -> None:
    source = write_file(tmp_path / "posts.jsonl", 500)
    runner = build_runner(settings, database, enrich=False)
    limits = Limits.from_settings(settings)
    with WorkerThreads(bus, runner.stages, poll=0.1):
        first = publish_files(bus, [source], format_name="auto", limits=limits, batch_size=100)
        again = publish_files(bus, [source], format_name="auto", limits=limits, batch_size=100)
        wait_drained(bus)
    assert (first.posts, first.rejects, first.messages) == (500, 4, 6)
    assert again.posts == 500
    assert database.count_posts() == 500
    entries = list_entries(database)
    by_line = sorted(entries, key=lambda e: e.location)
    assert [e.location for e in by_line] == [f"line {n}" for n in range(501, 505)]
    for entry, (_, _, reason) in zip(by_line, MALFORMED[:4], strict=True):
        assert reason in entry.reason


@pytest.mark.slow
def test_rapport_ingest_with_a_bus_publishes_and_says_so(
    tmp_path: Path, nats_available: bool, bus_prefix: str
) -> None:
    if not nats_available:
        pytest.skip(f"no NATS at {NATS_URL}")
    from rapport.bus.backends.nats import NatsBus

    source = write_file(tmp_path / "posts.jsonl", 50)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    env.update(RAPPORT_BUS_PREFIX=bus_prefix, RAPPORT_DATA_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "rapport", "ingest", str(source), "--bus", NATS_URL],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    bus = NatsBus(NATS_URL, prefix=bus_prefix)
    try:
        assert done.returncode == 3, done.stderr  # some records were bad
        assert "published 50 posts and 4 rejected records in 1 messages" in done.stderr
        assert bus.pending("raw", "enrich") == 1
        assert not (tmp_path / "rapport.db").exists()  # nothing written locally
    finally:
        bus.delete_streams()
        bus.close()
