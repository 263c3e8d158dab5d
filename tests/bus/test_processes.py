"""Fault tests with real processes over NATS JetStream and PostgreSQL: workers killed in
the middle of a batch, database connections cut under load, a poison message, a drain.
After each, every post is stored exactly once and every routed case is there once."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from rapport.bus.backends.nats import NatsBus
from rapport.store import Database, schema
from tests.bus.conftest import NATS_URL
from tests.bus.pipeline import counts, publish, raw_batches, reference_counts, wait_drained
from tests.bus.processes import WorkerProcess, worker_env
from tests.conftest import POSTGRES_URL, _postgres_dsn

pytestmark = pytest.mark.slow

POSTS = 3000


@pytest.fixture
def cluster(
    tmp_path: Path, postgres_schema: str, nats_available: bool, bus_prefix: str
) -> Iterator[Cluster]:
    if not nats_available:
        pytest.skip(f"no NATS at {NATS_URL}")
    found = Cluster(tmp_path, postgres_schema, bus_prefix)
    yield found
    found.close()


class Cluster:
    def __init__(self, tmp_path: Path, pg_schema: str, prefix: str) -> None:
        self.tmp_path = tmp_path
        self.app_name = f"rapport-{pg_schema}"
        self.url = (
            f"{POSTGRES_URL}?options=-csearch_path%3D{pg_schema}&application_name={self.app_name}"
        )
        self.database = Database(self.url)
        self.database.upgrade()
        self.bus = NatsBus(NATS_URL, prefix=prefix, ack_wait=2.0)
        self.env = worker_env(tmp_path, bus_url=NATS_URL, prefix=prefix, database_url=self.url)
        self.workers: list[WorkerProcess] = []

    def start(self, stage: str) -> WorkerProcess:
        worker = WorkerProcess(stage, self.env, self.tmp_path / f"{stage}-{len(self.workers)}.log")
        self.workers.append(worker)
        worker.wait_ready()
        return worker

    def cut_database_connections(self) -> int:
        with psycopg.connect(_postgres_dsn(), autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s",
                (self.app_name,),
            ).fetchall()
        return len(rows)

    def stored(self) -> int:
        with self.database.reading() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(schema.posts)).scalar_one()
            )

    def close(self) -> None:
        for worker in self.workers:
            worker.close()
        self.bus.delete_streams()
        self.bus.close()
        self.database.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    return reference_counts(tmp_path_factory.mktemp("reference"), POSTS)


def wait_for(condition: Callable[[], bool], within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# How posts group into cases depends on the order they arrive in (see below).
GROUPING = ("cases", "case_posts")


def assert_exactly_once(
    cluster: Cluster, reference: dict[str, int], *, in_order: bool = True
) -> None:
    """Every post and analysis stored once, as the in-order reference stores them; no post
    in two cases and no case without a post.

    Batches a killed worker held come back after the ack wait, behind later batches, so
    they are persisted out of order (`in_order=False`). Which post of a thread opens its
    case, joins it or folds into it as a duplicate depends on that order, so there the
    grouping may differ from the reference by a few posts; a batch lost or stored twice
    moves it by far more (a batch of 100 demo posts carries about 19 case posts).
    """
    found = counts(cluster.database)
    if in_order:
        assert found == reference
    else:
        assert {k: v for k, v in found.items() if k not in GROUPING} == {
            k: v for k, v in reference.items() if k not in GROUPING
        }
        for name in GROUPING:
            assert abs(found[name] - reference[name]) <= 0.02 * reference[name], name
    with cluster.database.reading() as conn:
        doubled = conn.execute(
            sa.select(schema.case_posts.c.tenant, schema.case_posts.c.post_id)
            .group_by(schema.case_posts.c.tenant, schema.case_posts.c.post_id)
            .having(sa.func.count() > 1)
        ).all()
        empty = conn.execute(
            sa.select(schema.cases.c.id).where(
                ~sa.exists().where(schema.case_posts.c.case_id == schema.cases.c.id)
            )
        ).all()
    assert doubled == []
    assert empty == []


def test_killed_workers_lose_nothing_and_double_nothing(
    cluster: Cluster, reference: dict[str, int]
) -> None:
    enrich = cluster.start("enrich")
    cluster.start("route")
    persist = cluster.start("persist")
    publish(cluster.bus, raw_batches(POSTS))
    wait_for(lambda: cluster.stored() > 0)
    enrich.kill()  # mid-batch: it holds messages it never acknowledged
    persist.kill()  # likely between its commit and its acknowledgement
    assert cluster.stored() < POSTS
    cluster.start("enrich")
    cluster.start("persist")
    wait_drained(cluster.bus, within=120)
    assert_exactly_once(cluster, reference, in_order=False)


def test_cut_database_connections_are_survived(cluster: Cluster, reference: dict[str, int]) -> None:
    cluster.start("enrich")
    cluster.start("route")
    persist = cluster.start("persist")
    publish(cluster.bus, raw_batches(POSTS))
    wait_for(lambda: cluster.stored() > 0)
    cut = 0
    for _ in range(3):
        cut += cluster.cut_database_connections()
        time.sleep(0.3)
    assert cut > 0
    wait_drained(cluster.bus, within=120)
    assert_exactly_once(cluster, reference)
    wait_for(lambda: persist.health() == 200, within=30)
    assert cluster.bus.dead_letters() == []


def test_poison_goes_to_the_dead_letters_and_a_drain_finishes_its_work(
    cluster: Cluster, reference: dict[str, int]
) -> None:
    enrich = cluster.start("all")
    cluster.bus.publish("raw", b"\xc1 poison", msg_id="poison")
    publish(cluster.bus, raw_batches(POSTS))
    wait_for(lambda: cluster.stored() > 0)
    metrics = enrich.metrics()
    assert 'rapport_worker_lag_messages{group="all"}' in metrics
    assert 'rapport_worker_messages_total{group="all",outcome="dead"} 1.0' in metrics
    assert enrich.health() == 200
    assert enrich.terminate() == 0  # SIGTERM: finish what it holds, then stop
    second = cluster.start("all")
    wait_drained(cluster.bus, ["raw"], within=120)
    assert_exactly_once(cluster, reference)
    (letter,) = cluster.bus.dead_letters()
    assert (letter.topic, letter.msg_id) == ("raw", "poison")
    assert "not a Rapport batch" in letter.reason
    assert 'rapport_worker_posts_total{group="all"}' in second.metrics()
