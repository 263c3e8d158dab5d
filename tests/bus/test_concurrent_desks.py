"""Persist workers run side by side on PostgreSQL: a customer's thread is still one case.

Two workers storing different batches of the same threads at the same moment must not
both open a case for a thread: the case desk serialises work per thread (and per
near-duplicate text) with transaction-scoped advisory locks."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from rapport.pipeline.build import build_runner
from rapport.records import Author, Batch, Envelope, Post
from rapport.store import Database, schema
from tests.bus.pipeline import demo_settings

CUSTOMERS = 40
PER_THREAD = 6


def shop(customer: int) -> str:
    # Words, not numbers: texts differing only in numbers would fold into one case.
    return "shop" + chr(97 + customer % 26) + chr(97 + customer // 26)


def thread_posts() -> list[Post]:
    start = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    found = []
    for n in range(PER_THREAD):
        for c in range(CUSTOMERS):
            author = Author(source_id=f"c{c}", handle=f"customer{c}", followers=100)
            found.append(
                Post(
                    network="x",
                    source_id=f"t{c}-{n}",
                    author=author,
                    conversation_id=f"t{c}-0",
                    reply_to_id=f"t{c}-{n - 1}" if n else None,
                    text=f"@NovaCardHelp my card was stolen, charges at {shop(c)} I never made",
                    created_at=start + timedelta(minutes=n, seconds=c),
                )
            )
    return found


def test_two_persist_workers_open_one_case_per_thread(tmp_path: Path, postgres_schema: str) -> None:
    from tests.conftest import POSTGRES_URL

    url = f"{POSTGRES_URL}?options=-csearch_path%3D{postgres_schema}"
    first, second = Database(url), Database(url)
    first.upgrade()
    settings = demo_settings(tmp_path, url)
    runners = [build_runner(settings, db) for db in (first, second)]
    analyse = runners[0].stages[:-1]
    batches = []
    posts = thread_posts()
    # Batch n holds every thread's post n: the two workers always store the same threads.
    for start in range(0, len(posts), CUSTOMERS):
        chunk = posts[start : start + CUSTOMERS]
        batch = Batch(source="t", items=tuple(Envelope(post=p) for p in chunk))
        for stage in analyse:
            batch = stage.process(batch)
        batches.append(batch)
    # Each worker has met every customer before, so neither writes the authors again (whose
    # row locks would otherwise serialise the two transactions by accident).
    for worker, runner in enumerate(runners):
        seen = Batch(source="t", items=tuple(
            Envelope(post=Post(network="x", source_id=f"w{worker}-{c}", text="hi there",
                               author=Author(source_id=f"c{c}", handle=f"customer{c}",
                                             followers=100),
                               created_at=datetime(2026, 11, 19, tzinfo=UTC)))
            for c in range(CUSTOMERS)
        ))  # fmt: skip
        runner.process(seen)
    ready = threading.Barrier(2)
    failures: list[BaseException] = []

    def store(worker: int) -> None:
        persist = runners[worker].stages[-1]
        try:
            for batch in batches[worker::2]:
                ready.wait(timeout=30)  # both transactions in flight at once, every time
                persist.process(batch)
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=store, args=(w,)) for w in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    cases = schema.cases
    with first.reading() as conn:
        per_thread = conn.execute(
            sa.select(cases.c.conversation_id, sa.func.count()).group_by(cases.c.conversation_id)
        ).all()
        linked = conn.execute(
            sa.select(sa.func.count())
            .select_from(schema.case_posts.join(cases))
            .where(cases.c.conversation_id.like("t%"))
        ).scalar()
    assert len(per_thread) == CUSTOMERS
    assert {count for _, count in per_thread} == {1}
    assert linked == CUSTOMERS * PER_THREAD
    first.close()
    second.close()
