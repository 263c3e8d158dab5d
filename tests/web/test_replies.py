"""Agents reply and correct: personal data never goes out publicly, a key sends once, the
reply stops the clock, the customer's answer continues the thread, corrections become
training labels."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import orjson
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rapport.auth import passwords
from rapport.auth.users import new_user
from rapport.care.channels import SimulatedNetwork
from rapport.cli import app as cli
from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database
from rapport.store.users import insert_user
from rapport.web.app import create_app
from tests.web.test_access import admin_client

PASSWORD = "correct horse battery staple"
NOW = datetime.now(UTC).replace(microsecond=0)
RULES = "rules:\n  - id: cards\n    when: {query: 'card OR charged'}\n    then: {route: cards}\n"


@pytest.fixture
def client(settings: Settings, database: Database) -> Iterator[TestClient]:
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    for email, role in (("ana@bank.test", "agent"), ("lee@bank.test", "analyst")):
        hashed = passwords.hash_password(PASSWORD)
        database.write(
            partial(insert_user, new=new_user(email=email, role=role, password_hash=hashed))
        )
    app = create_app(settings, database, build_runner(settings, database))
    with TestClient(app) as test_client:
        yield test_client
    passwords.use_hasher(previous)


def log_in(client: TestClient, email: str) -> None:
    response = client.post("/api/v1/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]


def open_case(client: TestClient) -> int:
    """Rules and the customer's post come from an admin (rules:manage, posts:ingest)."""
    app: FastAPI = client.app  # type: ignore[assignment]
    admin = admin_client(app, app.state.database)
    admin.put("/api/v1/rules", json={"yaml": RULES})
    post = {
        "network": "x", "source_id": "1001", "text": "my card was charged twice, help",
        "created_at": (NOW - timedelta(minutes=5)).isoformat(),
        "author": {"source_id": "77", "handle": "bo", "display_name": "Bo"},
    }  # fmt: skip
    assert admin.post("/api/v1/posts", content=orjson.dumps([post])).status_code == 200
    admin.close()
    case_id: int = client.get("/api/v1/queues/cards").json()["items"][0]["id"]
    return case_id


def test_a_public_reply_with_a_card_number_is_stopped_and_a_private_one_goes(
    client: TestClient,
) -> None:
    log_in(client, "ana@bank.test")
    case_id = open_case(client)
    text = "Hi Bo! Is this your card 4111 1111 1111 1111? We'll refund the double charge."
    stopped = client.post(f"/api/v1/cases/{case_id}/replies", json={"text": text})
    assert stopped.status_code == 422
    assert stopped.json()["findings"][0]["kind"] == "card_number"
    assert stopped.json()["suggestion"] == "private"
    assert "4111 1111 1111 1111" not in stopped.text
    assert client.get(f"/api/v1/cases/{case_id}").json()["replies"] == []

    sent = client.post(f"/api/v1/cases/{case_id}/replies", json={"text": text, "private": True})
    assert sent.status_code == 201
    assert sent.json()["status"] == "sent"
    case = client.get(f"/api/v1/cases/{case_id}").json()
    assert [e["kind"] for e in case["events"]][-2:] == ["agent_reply", "waiting_on_customer"]
    assert [r["private"] for r in case["replies"]] == [True]


def test_the_same_idempotency_key_sends_once(client: TestClient) -> None:
    log_in(client, "ana@bank.test")
    case_id = open_case(client)
    headers = {"Idempotency-Key": "click-42"}
    body = {"text": "Hey Bo, sorted! The second charge is reversed."}
    first = client.post(f"/api/v1/cases/{case_id}/replies", json=body, headers=headers)
    again = client.post(f"/api/v1/cases/{case_id}/replies", json=body, headers=headers)
    assert first.json()["id"] == again.json()["id"]
    network: SimulatedNetwork = client.app.state.reply_desk.channels["x"]  # type: ignore[attr-defined]
    assert len(network.messages) == 1
    assert network.messages[0][0].in_reply_to == "1001"


def test_the_customers_answer_continues_the_case(client: TestClient) -> None:
    log_in(client, "ana@bank.test")
    case_id = open_case(client)
    desk = client.app.state.reply_desk  # type: ignore[attr-defined]
    network: SimulatedNetwork = desk.channels["x"]
    network.answer_probability = 1.0
    client.post(f"/api/v1/cases/{case_id}/replies", json={"text": "Hey Bo, DM us please!"})
    answers = network.pump(datetime.now(UTC) + timedelta(hours=1))
    assert len(answers) == 1
    case = client.get(f"/api/v1/cases/{case_id}").json()
    assert case["post_count"] == 2
    assert case["posts"][-1]["author"] == "bo"


def test_only_agents_reply_and_only_with_the_csrf_token(client: TestClient) -> None:
    log_in(client, "ana@bank.test")
    case_id = open_case(client)
    token = client.headers.pop("X-CSRF-Token")
    no_csrf = client.post(f"/api/v1/cases/{case_id}/replies", json={"text": "hi"})
    assert no_csrf.status_code == 403
    client.headers["X-CSRF-Token"] = token
    client.post("/api/v1/logout")
    log_in(client, "lee@bank.test")
    analyst = client.post(f"/api/v1/cases/{case_id}/replies", json={"text": "hi"})
    assert analyst.status_code == 403


def test_corrections_become_training_labels(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    log_in(client, "ana@bank.test")
    open_case(client)
    post_id = client.get("/api/v1/posts").json()["items"][0]["id"]
    bad = client.post(
        f"/api/v1/posts/{post_id}/corrections", json={"field": "intent", "label": "nope"}
    )
    assert bad.status_code == 422
    fixed = client.post(
        f"/api/v1/posts/{post_id}/corrections",
        json={"field": "intent", "label": "transaction_charged_twice"},
    )
    assert fixed.status_code == 201
    assert (
        fixed.json()["previous"]
        == client.get(f"/api/v1/posts/{post_id}").json()["analysis"]["intent"]
    )

    out = tmp_path / "labels.csv"
    result = CliRunner().invoke(
        cli, ["corrections", "export", "intent", str(out), "--database-url", database_url]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines() == [
        "text,label",
        '"my card was charged twice, help",transaction_charged_twice',
    ]
