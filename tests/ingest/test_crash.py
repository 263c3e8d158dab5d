"""SIGKILL in the middle of a large ingest, then the same command again: every post exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import sqlalchemy as sa

from rapport.store import Database
from tests.ingest.corpus import good

POSTS = 60_000


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_kill_mid_ingest_and_rerun_stores_every_post_exactly_once(
    tmp_path: Path, database_url: str
) -> None:
    source = tmp_path / "big.jsonl"
    with source.open("wb") as out:
        for i in range(POSTS):
            out.write(orjson.dumps(good(str(i), reply_to_id=str(i - 1) if i % 5 else None)) + b"\n")
    command = [
        sys.executable,
        "-m",
        "rapport",
        "ingest",
        str(source),
        "--database-url",
        database_url,
        "--no-enrich",
        "--batch-size",
        "1000",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    database = Database(database_url)
    database.upgrade()

    victim = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while database.count_posts() < 5_000 and time.monotonic() < deadline:
        assert victim.poll() is None, "ingest finished before it could be killed"
        time.sleep(0.05)
    helpers = children_of(victim.pid)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    stored_before_rerun = database.count_posts()
    assert 0 < stored_before_rerun < POSTS
    # The reading helper notices its parent is gone and ends instead of lingering.
    assert helpers
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in helpers)

    rerun = subprocess.run(command, env=env, capture_output=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr.decode()

    with database.engine.connect() as conn:
        total, distinct = conn.execute(
            sa.text("SELECT count(*), count(DISTINCT source_id) FROM posts")
        ).one()
    database.close()
    assert total == distinct == POSTS
