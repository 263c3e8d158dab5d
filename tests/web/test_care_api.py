"""The care API: queues in answering order with reasons, case events that move the SLA
clock, rules saved as versions and put in force at once, dry-runs, alerts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from fastapi.testclient import TestClient

from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database
from rapport.web.app import create_app
from tests.web.test_access import admin_client, cheap_hashing

__all__ = ["cheap_hashing"]

NOW = datetime.now(UTC).replace(microsecond=0)


def wire(source_id: str, text: str, handle: str, **extra: object) -> dict[str, object]:
    return {
        "network": "x",
        "source_id": source_id,
        "text": text,
        "created_at": (NOW - timedelta(minutes=10)).isoformat(),
        "author": {"source_id": f"id-{handle}", "handle": handle, "followers": 120},
        **extra,
    }


@pytest.fixture
def client(settings: Settings, database: Database) -> Iterator[TestClient]:
    app = create_app(settings, database, build_runner(settings, database))
    with admin_client(app, database) as test_client:
        yield test_client


def ingest(client: TestClient, *posts: dict[str, object]) -> None:
    response = client.post("/api/v1/posts", content=orjson.dumps(list(posts)))
    assert response.status_code == 200, response.text


def test_a_rule_saved_through_the_api_routes_the_next_posts(client: TestClient) -> None:
    bad = client.put("/api/v1/rules", json={"yaml": "rules:\n  - id: x\n    then: {rout: a}\n"})
    assert bad.status_code == 422
    assert "rout" in bad.json()["detail"]
    rules = (
        "rules:\n  - id: cards-desk\n    when: {query: 'card OR charged'}\n"
        "    then: {route: card_desk, tag: [cards]}\n"
    )
    saved = client.put("/api/v1/rules", json={"yaml": rules, "author": "sam", "note": "new desk"})
    # One process: in force everywhere as soon as it has reloaded, before the answer.
    assert saved.json() == {"version": 1, "rules": 1, "in_force": True, "generation": 1}
    assert client.put("/api/v1/rules", json={"yaml": rules}).json()["version"] == 1  # unchanged
    ingest(client, wire("1", "my card was charged twice and nobody answers", "bo"))

    queues = {q["team"]: q for q in client.get("/api/v1/queues").json()["items"]}
    assert queues["card_desk"]["open"] == 1
    top = client.get("/api/v1/queues/card_desk").json()["items"][0]
    assert top["tags"] == ["cards"]
    assert abs(sum(r["points"] for r in top["reasons"]) - top["priority"]) < 0.05
    versions = client.get("/api/v1/rules/versions").json()["items"]
    assert [(v["version"], v["author"], v["note"]) for v in versions] == [(1, "sam", "new desk")]
    assert client.get("/api/v1/rules").json()["body"] == rules


def test_case_events_move_the_clock_and_status(client: TestClient) -> None:
    client.put(
        "/api/v1/rules",
        json={"yaml": "rules:\n  - id: all\n    when: {query: card}\n    then: {route: cards}\n"},
    )
    ingest(client, wire("1", "where is my new card? ordered two weeks ago", "bo"))
    case = client.get("/api/v1/queues/cards").json()["items"][0]
    assert case["sla_state"] == "ok"
    assert case["next_due"] is not None

    waiting = client.post(
        f"/api/v1/cases/{case['id']}/events", json={"kind": "waiting_on_customer"}
    )
    assert waiting.json()["status"] == "pending"
    resolved = client.post(f"/api/v1/cases/{case['id']}/events", json={"kind": "resolved"})
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["next_due"] is None
    again = client.post(f"/api/v1/cases/{case['id']}/events", json={"kind": "resolved"})
    assert again.status_code == 409
    assert client.post("/api/v1/cases/999/events", json={"kind": "resolved"}).status_code == 404
    kinds = [e["kind"] for e in client.get(f"/api/v1/cases/{case['id']}").json()["events"]]
    assert kinds == ["opened", "waiting_on_customer", "resolved"]


def test_dry_run_reports_where_rules_would_send_stored_posts(client: TestClient) -> None:
    ingest(
        client,
        wire("1", "my card was stolen last night", "bo"),
        wire("2", "love the new app design", "cy"),
    )
    body = {"yaml": "rules:\n  - id: theft\n    when: {query: stolen}\n    then: {route: fraud}\n"}
    report = client.post("/api/v1/rules/dry-run", json=body).json()
    assert report["posts"] == 2
    assert report["by_rule"]["theft"] == 1
    assert report["by_queue"]["fraud"] == 1
    assert client.get("/api/v1/rules").json()["version"] is None  # nothing was saved


def test_an_authors_influence_comes_with_parts_that_add_up(client: TestClient) -> None:
    post = wire("1", "great card", "bo")
    post["author"] = {"source_id": "id-bo", "handle": "bo", "followers": 250_000, "verified": True}
    post["metrics"] = {"likes": 900, "reposts": 100}
    ingest(client, post)
    found = client.get("/api/v1/authors/x/id-bo").json()
    influence = found["influence"]
    assert [p["name"] for p in influence["parts"]] == [
        "reach",
        "engagement",
        "verified",
        "standing",
    ]
    assert abs(sum(p["points"] for p in influence["parts"]) - influence["score"]) < 0.02
    verified = next(p for p in influence["parts"] if p["name"] == "verified")
    assert verified["points"] == verified["of"]
    assert client.get("/api/v1/authors/x/nobody").status_code == 404
