"""GET /api/v1/config/status: a saved configuration is in force everywhere only once every
process seen lately has applied it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from rapport.records.processes import Process
from rapport.settings import Settings
from rapport.store import Database, processes, tenants
from tests.web.test_access import admin_client, cheap_hashing, make_app

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


def test_the_status_is_described_in_the_openapi_document(
    settings: Settings, database: Database
) -> None:
    client = admin_client(make_app(settings, database), database)
    document = client.get("/api/v1/openapi.json").json()
    answer = document["paths"]["/api/v1/config/status"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/ConfigStatus")
    assert "in_force_everywhere" in document["components"]["schemas"]["ConfigStatus"]["properties"]
