"""Net Promoter after every resolved case: asked once, in the customer's language; the
answer is read from their reply, a detractor gets a follow-up case, an opt-out is kept,
and the report breaks the score down with its interval."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rapport.care.channels import SimulatedNetwork
from rapport.records import Author, Batch, Envelope, Post
from rapport.store import schema
from tests.web.test_access import admin_client
from tests.web.test_replies import client, log_in, open_case

__all__ = ["client"]


def resolve(client: TestClient, case_id: int) -> None:
    response = client.post(f"/api/v1/cases/{case_id}/events", json={"kind": "resolved"})
    assert response.status_code == 200, response.text


def answer(client: TestClient, text: str, source_id: str) -> None:
    """The customer replies to the survey question on the network."""
    app: FastAPI = client.app  # type: ignore[assignment]
    network: SimulatedNetwork = app.state.reply_desk.channels["x"]
    question = next(o for o, s in reversed(network.messages) if o.kind == "survey")
    sent = next(s for o, s in reversed(network.messages) if o is question)
    post = Post(
        network="x", source_id=source_id, text=text, created_at=datetime.now(UTC),
        author=Author(source_id="77", handle="bo"), reply_to_id=sent.message_id,
    )  # fmt: skip
    app.state.runner.process(Batch(source="t", items=(Envelope(post=post),)))


def surveys(client: TestClient) -> list[dict[str, object]]:
    app: FastAPI = client.app  # type: ignore[assignment]
    with app.state.database.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(schema.surveys))]


def test_a_resolved_case_is_surveyed_once_and_the_answer_is_read(client: TestClient) -> None:
    log_in(client, "ana@bank.test")
    case_id = open_case(client)
    resolve(client, case_id)
    network: SimulatedNetwork = client.app.state.reply_desk.channels["x"]  # type: ignore[attr-defined]
    asked = [o for o, _ in network.messages if o.kind == "survey"]
    assert len(asked) == 1
    assert "0" in asked[0].text
    assert "10" in asked[0].text
    client.post(f"/api/v1/cases/{case_id}/events", json={"kind": "reopened"})
    resolve(client, case_id)
    assert len([o for o, _ in network.messages if o.kind == "survey"]) == 1  # once per case

    answer(client, "9/10 great help", "2001")
    found = surveys(client)
    assert [(s["case_id"], s["score"], s["team"]) for s in found] == [(case_id, 9, "cards")]
    case = client.get(f"/api/v1/cases/{case_id}").json()
    assert case["status"] == "resolved"  # the answer did not reopen it


def test_a_detractor_gets_a_follow_up_case(client: TestClient) -> None:
    log_in(client, "ana@bank.test")
    case_id = open_case(client)
    resolve(client, case_id)
    answer(client, "3, still waiting for my refund", "2002")
    follow_up = surveys(client)[0]["follow_up_case_id"]
    assert follow_up is not None
    assert follow_up != case_id
    case = client.get(f"/api/v1/cases/{follow_up}").json()
    assert case["team"] == "cards"
    assert "detractor" in case["tags"]
    assert case["priority"] >= 70
    assert any(r["name"] == "detractor" for r in case["reasons"])


def test_an_opt_out_is_kept_and_respected(client: TestClient) -> None:
    log_in(client, "ana@bank.test")
    case_id = open_case(client)
    resolve(client, case_id)
    answer(client, "stop", "2003")
    app: FastAPI = client.app  # type: ignore[assignment]
    with app.state.database.reading() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(schema.survey_opt_outs)).scalar()
            == 1
        )
    assert app.state.survey_desk.after_resolution(case_id) is None


@pytest.mark.parametrize("by", ["team", "lang"])
def test_the_nps_report_breaks_scores_down(client: TestClient, by: str) -> None:
    log_in(client, "ana@bank.test")
    case_id = open_case(client)
    resolve(client, case_id)
    answer(client, "10", "2004")
    app: FastAPI = client.app  # type: ignore[assignment]
    admin = admin_client(app, app.state.database)
    report = admin.get(f"/api/v1/reports/nps?by={by}").json()
    assert report["overall"]["total"] == 1
    assert report["overall"]["nps"] == 100
    assert report["items"][0]["promoters"] == 1
    csv = admin.get(f"/api/v1/reports/nps?by={by}&format=csv").text
    assert csv.splitlines()[0].startswith("key,promoters")
    assert client.get("/api/v1/reports/nps").status_code == 403  # agents read no reports
    admin.close()


def test_two_resolutions_at_once_ask_once(client: TestClient) -> None:
    """The survey row is written before the question goes out, so racing resolutions (two
    agents, a retried request) send one question between them."""
    import threading

    log_in(client, "ana@bank.test")
    case_id = open_case(client)
    resolve(client, case_id)
    app: FastAPI = client.app  # type: ignore[assignment]
    network: SimulatedNetwork = app.state.reply_desk.channels["x"]
    with app.state.database.reading() as conn:
        conn.execute(sa.delete(schema.surveys))
        conn.commit()
    before = len(network.messages)
    start = threading.Barrier(4)

    def ask() -> None:
        start.wait(timeout=10)
        app.state.survey_desk.after_resolution(case_id)

    askers = [threading.Thread(target=ask) for _ in range(4)]
    for thread in askers:
        thread.start()
    for thread in askers:
        thread.join(timeout=30)
    sent = [(o, s) for o, s in network.messages[before:] if o.kind == "survey"]
    assert len(sent) == 1
    (row,) = surveys(client)
    assert row["question_message_id"] == sent[0][1].message_id
