"""`POST /api/v1/posts` with a bus: the web tier parses, publishes and answers 202; the
workers store. Rejects still reach quarantine, through the bus; a bus that is down is a 503."""

from __future__ import annotations

import time
from collections.abc import Iterator

import orjson
import pytest
from fastapi.testclient import TestClient

from rapport.bus.base import Bus, DeadLetter, Delivery
from rapport.bus.threads import WorkerThreads
from rapport.errors import Unavailable
from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database
from rapport.store.quarantine import list_entries
from rapport.web.app import create_app
from tests.bus.pipeline import wait_drained
from tests.ingest.corpus import good
from tests.web.test_access import admin_client, cheap_hashing

__all__ = ["cheap_hashing"]


@pytest.fixture
def client(bus: Bus, settings: Settings, database: Database) -> Iterator[TestClient]:
    runner = build_runner(settings, database, enrich=False)
    app = create_app(settings, database, runner, bus=bus)
    with WorkerThreads(bus, runner.stages, poll=0.1), admin_client(app, database) as test_client:
        yield test_client


def test_ingest_is_accepted_then_stored_by_the_workers(
    client: TestClient, bus: Bus, database: Database
) -> None:
    body = b"[" + orjson.dumps(good("1")) + b"," + orjson.dumps(good("2")) + b',{"x": 1}]'
    response = client.post("/api/v1/posts", content=body)
    assert response.status_code == 202
    answer = response.json()
    assert (answer["accepted"], answer["quarantined"]) == (2, 1)
    wait_drained(bus)
    assert database.count_posts() == 2
    (entry,) = list_entries(database)
    assert entry.source == f"request {answer['request_id']}"
    assert entry.location == "item 2"


def test_nothing_accepted_is_a_422(client: TestClient, bus: Bus, database: Database) -> None:
    response = client.post("/api/v1/posts", content=b"{not json")
    assert response.status_code == 422
    wait_drained(bus)
    assert len(list_entries(database)) == 1


class DownBus(Bus):
    def publish(self, topic: str, data: bytes, *, msg_id: str) -> None:
        raise Unavailable("NATS at nats://127.0.0.1:1: connection refused")

    def fetch(self, topic: str, group: str, *, limit: int, timeout: float) -> list[Delivery]:
        time.sleep(timeout)
        return []

    def dead_letter(self, topic: str, delivery: Delivery, reason: str) -> None:
        raise Unavailable("down")

    def dead_letters(self, limit: int = 100) -> list[DeadLetter]:
        return []

    def pending(self, topic: str, group: str) -> int:
        return 0


def test_a_bus_that_is_down_is_a_503_so_the_sender_retries(
    settings: Settings, database: Database
) -> None:
    runner = build_runner(settings, database, enrich=False)
    app = create_app(settings, database, runner, bus=DownBus())
    with admin_client(app, database) as client:
        response = client.post("/api/v1/posts", content=orjson.dumps([good("1")]))
    assert response.status_code == 503
    assert "send the batch again" in response.json()["detail"]
    assert database.count_posts() == 0
