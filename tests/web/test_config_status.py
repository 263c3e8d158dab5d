"""GET /api/v1/config/status: a saved configuration is in force everywhere only once every
process seen lately has applied it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from rapport.auth.roles import Permission
from rapport.records.processes import Process
from rapport.settings import Settings
from rapport.store import Database, processes, tenants
from tests.bus.processes import free_port
from tests.conftest import POSTGRES_URL
from tests.web.test_access import add_user, admin_client, cheap_hashing, make_app, token_for

__all__ = ["cheap_hashing"]


def beat(database: Database, process_id: str, role: str, generation: int) -> None:
    now = datetime.now(UTC)
    process = Process(process_id, role, "node-1", 4242, now - timedelta(minutes=5), now, generation)
    database.write(lambda conn: processes.heartbeat(conn, process))


def test_in_force_everywhere_waits_for_the_process_behind(
    settings: Settings, database: Database
) -> None:
    now = datetime.now(UTC)
    database.write(lambda conn: tenants.save_config(conn, "default", "handles", "[a]", "", now))
    with database.reading() as conn:
        old = tenants.generation(conn)
    client = admin_client(make_app(settings, database), database)
    with client:
        database.write(
            lambda conn: tenants.save_config(conn, "default", "handles", "[a, b]", "", now)
        )
        with database.reading() as conn:
            new = tenants.generation(conn)
        beat(database, "other-web", "web", new)
        beat(database, "router", "worker:route", old)

        behind = client.get("/api/v1/config/status")
        assert behind.status_code == 200, behind.text
        body = behind.json()
        assert (body["generation"], body["wanted"], body["in_force_everywhere"]) == (
            new,
            new,
            False,
        )
        applied = {p["role"]: p["generation"] for p in body["processes"]}
        assert applied["worker:route"] == old
        assert applied["web"] in (old, new)  # this tier's own, reloading every 2 seconds
        assert {"host", "pid", "seen_at"} <= set(body["processes"][0])
        assert client.get(f"/api/v1/config/status?generation={old}").json()["in_force_everywhere"]

        beat(database, "router", "worker:route", new)
        deadline = datetime.now(UTC) + timedelta(seconds=10)
        while not client.get("/api/v1/config/status").json()["in_force_everywhere"]:
            # This tier's own heartbeat catches up within its interval.
            assert datetime.now(UTC) < deadline
            time.sleep(0.1)
        assert client.get("/api/v1/config/status?generation=-1").status_code == 422


class ServeProcess:
    """`rapport serve` as an operator starts it, one web tier of several."""

    def __init__(self, env: dict[str, str], log: Path, token: str) -> None:
        self.port = free_port()
        self.log = log
        self._out = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rapport", "serve", "--port", str(self.port)],
            env=env, stdout=self._out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.client = httpx.Client(
            base_url=f"http://127.0.0.1:{self.port}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    def wait_ready(self, within: float = 120) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.tail()
            try:
                if self.client.get("/api/v1/config/status").status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise AssertionError(f"rapport serve did not start: {self.tail()}")

    def tail(self) -> str:
        self._out.flush()
        return self.log.read_text(errors="replace")[-3000:]

    def close(self) -> None:
        self.client.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._out.close()


def until(condition: Callable[[], bool], within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.2)


@pytest.mark.slow
def test_rules_saved_through_one_tier_come_into_force_in_the_other(
    tmp_path: Path, postgres_schema: str
) -> None:
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{postgres_schema}"
    database = Database(url)
    database.upgrade()
    token = token_for(
        database,
        add_user(database, "ops@tiers.test", "admin"),
        [p.value for p in Permission],
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    env.update(RAPPORT_DATABASE_URL=url, RAPPORT_DATA_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    one = ServeProcess(env, tmp_path / "one.log", token)
    other = ServeProcess(env, tmp_path / "other.log", token)
    try:
        one.wait_ready()
        other.wait_ready()
        created = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
        post = {
            "network": "x", "source_id": "1", "text": "my card was stolen last night",
            "created_at": created, "author": {"source_id": "7", "handle": "bo"},
        }  # fmt: skip
        assert one.client.post("/api/v1/posts", json=[post]).status_code == 200

        def caught_by_other() -> dict[str, int]:
            report = other.client.post("/api/v1/rules/dry-run", json={"days": 1})
            assert report.status_code == 200, report.text
            by_rule: dict[str, int] = report.json()["by_rule"]
            return by_rule

        assert "stolen" not in caught_by_other()
        rules = "rules:\n  - id: stolen\n    when: {query: stolen}\n    then: {route: fraud}\n"
        saved = one.client.put("/api/v1/rules", json={"yaml": rules})
        assert saved.status_code == 200, saved.text
        generation = one.client.get("/api/v1/config/status").json()["generation"]

        def everywhere() -> bool:
            found = other.client.get(f"/api/v1/config/status?generation={generation}").json()
            assert len(found["processes"]) == 2
            return bool(found["in_force_everywhere"])

        until(everywhere)
        assert caught_by_other() == {"stolen": 1}
        assert other.client.get("/api/v1/rules").json()["version"] == saved.json()["version"]
    finally:
        one.close()
        other.close()
        database.close()
