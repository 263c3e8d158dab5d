"""Case events a client may post, and those only what really happened may write: a reply
stops a response clock only when it is sent, and the actor and time are the server's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database
from rapport.web.app import create_app
from tests.web.test_access import admin_client, cheap_hashing
from tests.web.test_care_api import ingest, wire

__all__ = ["cheap_hashing"]

NOW = datetime.now(UTC).replace(microsecond=0)
OPENED = NOW - timedelta(days=10)  # long past any first-response target, business hours or not


@pytest.fixture
def client(settings: Settings, database: Database) -> Iterator[TestClient]:
    app = create_app(settings, database, build_runner(settings, database))
    with admin_client(app, database) as test_client:
        yield test_client


def breached_case(client: TestClient) -> dict[str, Any]:
    rules = "rules:\n  - id: all\n    when: {query: card}\n    then: {route: cards}\n"
    assert client.put("/api/v1/rules", json={"yaml": rules}).status_code == 200
    ingest(client, wire("1", "where is my card? nobody answers", "bo",
                        created_at=OPENED.isoformat()))  # fmt: skip
    (case,) = client.get("/api/v1/queues/cards").json()["items"]
    assert case["sla_state"] == "breached"
    return dict(case)


def kinds(client: TestClient, case_id: int) -> list[str]:
    """What happened to the case, less the SLA watch's own notes."""
    events = client.get(f"/api/v1/cases/{case_id}").json()["events"]
    return [e["kind"] for e in events if not e["kind"].startswith("sla_")]


def state_of(client: TestClient, case_id: int) -> str:
    found = client.get("/api/v1/queues/cards", params={"status": "open"}).json()["items"]
    found += client.get("/api/v1/queues/cards", params={"status": "pending"}).json()["items"]
    found += client.get("/api/v1/queues/cards", params={"status": "resolved"}).json()["items"]
    return str(next(c["sla_state"] for c in found if c["id"] == case_id))


def test_a_client_cannot_post_a_reply_that_was_never_sent(client: TestClient) -> None:
    case = breached_case(client)
    url = f"/api/v1/cases/{case['id']}/events"
    forged = {"kind": "agent_reply", "actor": "someone", "at": (OPENED + timedelta(minutes=1))
              .isoformat()}  # fmt: skip
    refused = client.post(url, json=forged)
    assert refused.status_code == 422, refused.text
    refused = client.post(url, json={"kind": "agent_reply"})
    assert refused.status_code == 422
    assert "agent_reply" in refused.json()["detail"]
    assert "/replies" in refused.json()["detail"]  # what to do instead: send a reply
    assert kinds(client, case["id"]) == ["opened"]
    assert state_of(client, case["id"]) == "breached"


@pytest.mark.parametrize("kind", ["opened", "customer_message", "shrugged"])
def test_events_only_the_desk_records_are_refused(client: TestClient, kind: str) -> None:
    case = breached_case(client)
    refused = client.post(f"/api/v1/cases/{case['id']}/events", json={"kind": kind})
    assert refused.status_code == 422
    assert repr(kind) in refused.json()["detail"]


@pytest.mark.parametrize("field", ["actor", "at"])
def test_the_actor_and_time_are_the_servers(client: TestClient, field: str) -> None:
    case = breached_case(client)
    value = {"actor": "the boss", "at": (OPENED + timedelta(minutes=1)).isoformat()}[field]
    body = {"kind": "resolved", field: value}
    refused = client.post(f"/api/v1/cases/{case['id']}/events", json=body)
    assert refused.status_code == 422, refused.text
    assert field in refused.json()["detail"]
    assert kinds(client, case["id"]) == ["opened"]


def test_resolving_a_breached_case_leaves_it_breached(client: TestClient) -> None:
    case = breached_case(client)
    resolved = client.post(f"/api/v1/cases/{case['id']}/events", json={"kind": "resolved"})
    assert resolved.status_code == 200, resolved.text
    (event,) = [e for e in resolved.json()["events"] if e["kind"] == "resolved"]
    assert event["actor"].startswith("user:")
    assert abs(datetime.fromisoformat(event["at"]) - datetime.now(UTC)) < timedelta(minutes=5)
    assert state_of(client, case["id"]) == "breached"
