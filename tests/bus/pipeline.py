"""The real pipeline over a bus, for the bus tests: demo rules, generated posts, counts."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from rapport.bus.base import ENRICHED, RAW, ROUTED, Bus
from rapport.bus.threads import submit
from rapport.demo.live import demo_overrides, to_batches
from rapport.demo.stream import generate_posts
from rapport.pipeline.build import build_runner
from rapport.records import Batch, Rejected
from rapport.settings import Settings
from rapport.store import Database, schema

POSTS = 400
GROUP_OF = {RAW: "enrich", ENRICHED: "route", ROUTED: "persist"}


def demo_settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings.load(
        {"data_dir": tmp_path, "database_url": database_url, **demo_overrides({})}, environ={}
    )


def raw_batches(count: int = POSTS, size: int = 100) -> list[Batch]:
    """Generated posts in batches, the first batch carrying one record that was rejected."""
    batches = list(to_batches(generate_posts(count, seed=11), size, "bus test"))
    bad = Rejected(source="bus test", location="line 1", format="rapport-jsonl",
                   reason="line is not valid JSON", raw=b"{oops")  # fmt: skip
    batches[0] = Batch(source="bus test", items=batches[0].items, rejects=(bad,))
    return batches


def publish(bus: Bus, batches: Sequence[Batch], *, prefix: str = "b") -> None:
    for index, batch in enumerate(batches):
        submit(bus, batch, msg_id=f"{prefix}{index}")


def wait_drained(
    bus: Bus, topics: Sequence[str] = (RAW, ENRICHED, ROUTED), within: float = 90
) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if all(bus.pending(t, GROUP_OF[t]) == 0 for t in topics):
            return
        time.sleep(0.1)
    left = {t: bus.pending(t, GROUP_OF[t]) for t in topics}
    raise AssertionError(f"the bus did not drain in {within} s: {left}")


def wait_pending(bus: Bus, topic: str, count: int, within: float = 60) -> None:
    deadline = time.monotonic() + within
    while bus.pending(topic, GROUP_OF[topic]) < count:
        assert time.monotonic() < deadline, f"{topic} never held {count} messages"
        time.sleep(0.05)


def counts(database: Database) -> dict[str, int]:
    tables = {
        "posts": schema.posts,
        "analyses": schema.analyses,
        "quarantine": schema.quarantine,
        "cases": schema.cases,
        "case_posts": schema.case_posts,
    }
    with database.reading() as conn:
        found = {
            name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
            for name, t in tables.items()
        }
        found["distinct posts"] = int(
            conn.execute(
                sa.select(sa.func.count()).select_from(
                    sa.select(schema.posts.c.network, schema.posts.c.source_id)
                    .distinct()
                    .subquery()
                )
            ).scalar_one()
        )
    return found


def reference_counts(where: Path, posts: int = POSTS) -> dict[str, int]:
    """What the embedded runner stores for the same posts, on SQLite: the reference."""
    database = Database(f"sqlite:///{where / 'rapport.db'}")
    database.upgrade()
    runner = build_runner(demo_settings(where, str(database.url)), database)
    for batch in raw_batches(posts):
        runner.process(batch)
    found = counts(database)
    database.close()
    return found
