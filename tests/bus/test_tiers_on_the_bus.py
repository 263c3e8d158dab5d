"""Two `rapport serve` tiers and the bus workers on NATS and PostgreSQL, as a cluster runs:
rules saved through one tier are reported in force only once both tiers and the workers
apply them, a post pushed through the other tier is then routed by them in the route
worker, and presence shown on one tier is seen on the other."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from rapport.auth.roles import Permission
from rapport.bus.backends.nats import NatsBus
from rapport.store import Database
from tests.bus.conftest import NATS_URL
from tests.bus.processes import WorkerProcess
from tests.conftest import POSTGRES_URL
from tests.web.test_access import add_user, cheap_hashing, token_for
from tests.web.test_config_status import ServeProcess, until

__all__ = ["cheap_hashing"]

pytestmark = pytest.mark.slow

QUEUE = "stolen_cards_desk"  # a queue only the rules saved in the test route to
RULES = f"rules:\n  - id: stolen\n    when: {{query: stolen}}\n    then: {{route: {QUEUE}}}\n"
ROLES = ["web", "web", "worker:persist", "worker:route"]


@pytest.fixture
def cluster_env(
    tmp_path: Path, postgres_schema: str, nats_available: bool, bus_prefix: str
) -> Iterator[dict[str, str]]:
    """What every process of the cluster is started with; its streams are deleted after."""
    if not nats_available:
        pytest.skip(f"no NATS at {NATS_URL}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    # RAPPORT_BUS is the setting `--bus` gives: `rapport serve` publishes to NATS with it.
    env.update(
        RAPPORT_DATABASE_URL=f"{POSTGRES_URL}?options=-csearch_path%3D{postgres_schema}",
        RAPPORT_BUS=NATS_URL,
        RAPPORT_BUS_PREFIX=bus_prefix,
        RAPPORT_BUS_ACK_WAIT="2",
        RAPPORT_DATA_DIR=str(tmp_path),
        PYTHONUNBUFFERED="1",
    )
    yield env
    streams = NatsBus(NATS_URL, prefix=bus_prefix)
    streams.delete_streams()
    streams.close()


def status(tier: ServeProcess, generation: int) -> dict[str, Any]:
    answer = tier.client.get(f"/api/v1/config/status?generation={generation}")
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def applied(found: dict[str, Any], role: str) -> list[int | None]:
    return [p["generation"] for p in found["processes"] if p["role"] == role]


def test_rules_saved_through_one_tier_route_posts_pushed_through_the_other(
    tmp_path: Path, cluster_env: dict[str, str]
) -> None:
    with ExitStack() as stack:
        database = Database(cluster_env["RAPPORT_DATABASE_URL"])
        stack.callback(database.close)
        database.upgrade()
        token = token_for(
            database, add_user(database, "ops@bus.test", "admin"), [p.value for p in Permission]
        )
        workers: dict[str, WorkerProcess] = {}
        for stage in ("enrich", "route", "persist"):
            workers[stage] = WorkerProcess(stage, cluster_env, tmp_path / f"{stage}.log")
            stack.callback(workers[stage].close)
        one = ServeProcess(cluster_env, tmp_path / "one.log", token)
        stack.callback(one.close)
        other = ServeProcess(cluster_env, tmp_path / "other.log", token)
        stack.callback(other.close)
        for worker in workers.values():
            worker.wait_ready()
        one.wait_ready()
        other.wait_ready()
        # Both tiers register beside the workers that follow the configuration (enrichment
        # has none to follow).
        until(lambda: sorted(p["role"] for p in status(other, 0)["processes"]) == ROLES)

        # The route worker is held still while the rules are saved, so that it is certainly
        # behind while every other process catches up. It is stopped just after a heartbeat:
        # a process stays among the live ones for 6 s without one, and the others apply
        # the rules within their 2 s poll.
        def route_worker_seen() -> str:
            (seen,) = (
                p["seen_at"] for p in status(other, 0)["processes"] if p["role"] == "worker:route"
            )
            return str(seen)

        before = route_worker_seen()
        until(lambda: route_worker_seen() != before, within=10)
        router = workers["route"].process
        router.send_signal(signal.SIGSTOP)
        try:
            saved = one.client.put("/api/v1/rules", json={"yaml": RULES})
            assert saved.status_code == 200, saved.text
            generation = saved.json()["generation"]
            assert saved.json()["in_force"] is False

            def all_but_the_route_worker_applied() -> bool:
                found = status(other, generation)
                (routed_by,) = applied(found, "worker:route")
                assert routed_by is not None
                assert routed_by < generation
                assert found["in_force_everywhere"] is False
                rest = [p for p in found["processes"] if p["role"] != "worker:route"]
                return len(rest) == 3 and all(p["generation"] >= generation for p in rest)

            until(all_but_the_route_worker_applied, within=5)
        finally:
            router.send_signal(signal.SIGCONT)

        def in_force_everywhere() -> bool:
            found = status(other, generation)
            assert applied(found, "worker:route"), "the route worker is no longer live"
            return bool(found["in_force_everywhere"])

        until(in_force_everywhere, within=15)
        final = status(other, generation)
        assert sorted(p["role"] for p in final["processes"]) == ROLES
        assert all(p["generation"] >= generation for p in final["processes"])

        # A post pushed through the other tier now goes to the new rule's queue.
        post = {
            "network": "x", "source_id": "b1", "text": "my card was stolen on the bus",
            "created_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
            "author": {"source_id": "77", "handle": "rider"},
        }  # fmt: skip
        pushed = other.client.post("/api/v1/posts", json=[post])
        assert pushed.status_code == 202, pushed.text

        def queued() -> list[dict[str, Any]]:
            page = one.client.get(f"/api/v1/queues/{QUEUE}")
            assert page.status_code == 200, page.text
            items: list[dict[str, Any]] = page.json()["items"]
            return items

        until(lambda: bool(queued()), within=20)
        (case,) = queued()
        assert (case["team"], case["latest_text"]) == (QUEUE, post["text"])

        # Presence shown through one tier is seen through the other.
        shown = one.client.post(f"/api/v1/cases/{case['id']}/presence", json={"typing": True})
        assert shown.status_code == 200, shown.text
        viewers = other.client.get(f"/api/v1/cases/{case['id']}").json()["viewers"]
        assert [(v["name"], v["typing"]) for v in viewers] == [("Ops", True)]
