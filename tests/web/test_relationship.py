"""The relationship panel's data: the timeline, the Net Promoter history, time engaged,
and a health indicator with its reasons."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.test_replies import client, log_in, open_case
from tests.web.test_surveys import answer, resolve

__all__ = ["client"]


def test_a_detractor_shows_in_the_relationship_with_reasons(client: TestClient) -> None:
    log_in(client, "ana@bank.test")
    case_id = open_case(client)
    sent = client.post(f"/api/v1/cases/{case_id}/replies", json={"text": "Hey Bo, on it!"})
    assert sent.status_code == 201
    resolve(client, case_id)
    answer(client, "3, still waiting", "3001")

    customer = client.get("/api/v1/customers/x/77").json()
    assert [a["score"] for a in customer["nps_history"]] == [3]
    kinds = {event["kind"] for event in customer["timeline"]}
    assert {"post", "case_opened", "case_resolved", "reply", "survey"} <= kinds
    assert customer["time_engaged_minutes"] > 0
    health = customer["health"]
    assert health["level"] in {"watch", "at risk"}
    assert "last Net Promoter answer 3/10" in health["reasons"]
    assert any("open case" in reason for reason in health["reasons"])  # the follow-up
