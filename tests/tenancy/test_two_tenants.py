"""Two tenants on one install, end to end through the API: each listens with its own
queries, routes by its own rules into its own queues, and its people see only their own
cases, customers, templates, rules, audit and live events. A post that both hear opens a
case in each. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rapport.settings import Settings
from rapport.store import Database
from tests.web.test_access import admin_client, cheap_hashing, ingest, make_app, wire

__all__ = ["cheap_hashing"]


def rules(query: str, queue: str) -> str:
    return (
        f"rules:\n  - id: {queue}\n    when: {{query: '{query}'}}\n    then: {{route: {queue}}}\n"
    )


@pytest.fixture
def clients(settings: Settings, database: Database) -> Iterator[dict[str, TestClient]]:
    app = make_app(settings, database, enrich=True)
    operator = admin_client(app, database)
    with operator:
        for tenant in ("acme", "zeta"):
            made = operator.post("/api/v1/tenants", json={"id": tenant, "name": tenant.title()})
            assert made.status_code == 201, made.text
        found = {"operator": operator}
        for tenant in ("acme", "zeta"):
            client = found[tenant] = admin_client(app, database, tenant=tenant)
            queries = f"queries:\n  - id: brand\n    query: {tenant}\n"
            saved = client.put(f"/api/v1/tenants/{tenant}/config/queries", json={"body": queries})
            assert saved.status_code == 201, saved.text
            put = client.put("/api/v1/rules", json={"yaml": rules(tenant, f"{tenant}-care")})
            assert put.status_code == 200, put.text
        # The operator tenant keeps hearing everything, here through a rule of its own.
        operator.put("/api/v1/rules", json={"yaml": rules("charged", "ops")})
        yield found
        for tenant in ("acme", "zeta"):
            found[tenant].close()


def queues(client: TestClient) -> dict[str, int]:
    items = client.get("/api/v1/queues").json()["items"]
    return {q["team"]: q["open"] for q in items}


def case_ids(client: TestClient, team: str) -> set[int]:
    return {c["id"] for c in client.get(f"/api/v1/queues/{team}").json()["items"]}


def test_each_tenant_hears_routes_and_sees_its_own(clients: dict[str, TestClient]) -> None:
    acme, zeta, operator = clients["acme"], clients["zeta"], clients["operator"]
    # The in-force answer of the rules saved above: one process, reloaded at once.
    assert acme.get("/api/v1/config/status").json()["in_force_everywhere"] is True
    ingest(
        operator,
        wire("1", "my acme card was charged twice, please help", author="11"),
        wire("2", "zeta shop charged me twice for one coffee", author="22"),
        wire("3", "both acme and zeta charged me twice today", author="33"),
        wire("4", "lovely weather for a walk", author="44"),
    )
    assert queues(acme) == {"acme-care": 2}
    assert queues(zeta) == {"zeta-care": 2}
    assert queues(operator) == {"ops": 3}
    acme_cases, zeta_cases = case_ids(acme, "acme-care"), case_ids(zeta, "zeta-care")
    assert not acme_cases & zeta_cases
    shared = {
        tenant: next(
            c
            for c in client.get(f"/api/v1/queues/{tenant}-care").json()["items"]
            if c["customer_id"] == "33"
        )
        for tenant, client in (("acme", acme), ("zeta", zeta))
    }
    assert shared["acme"]["id"] != shared["zeta"]["id"]

    # Another tenant's case, customer history, rules, templates and audit are not there.
    for mine, own_cases, other_cases in ((acme, acme_cases, zeta_cases),
                                         (zeta, zeta_cases, acme_cases)):  # fmt: skip
        for case_id in other_cases:
            assert mine.get(f"/api/v1/cases/{case_id}").status_code == 404
            assert mine.post(f"/api/v1/cases/{case_id}/claim").status_code == 404
        customer = mine.get("/api/v1/customers/x/33").json()
        both = {shared["acme"]["id"], shared["zeta"]["id"]}
        assert [c["id"] for c in customer["cases"]] == [c for c in own_cases if c in both]
    assert "acme" in acme.get("/api/v1/rules").json()["body"]
    assert "zeta" in zeta.get("/api/v1/rules").json()["body"]
    saved = acme.put("/api/v1/templates/received/en", json={"text": "Acme here, {name}!"})
    assert saved.status_code == 201, saved.text
    zeta_received = {
        (t["name"], t["lang"]): t["source"] for t in zeta.get("/api/v1/templates").json()["items"]
    }
    assert zeta_received[("received", "en")] == "built_in"
    acme_audit = {e["action"] for e in acme.get("/api/v1/audit").json()["items"]}
    zeta_audit = {e["action"] for e in zeta.get("/api/v1/audit").json()["items"]}
    assert {"template.save", "rules.save", "tenant.config.queries"} <= acme_audit
    assert "template.save" not in zeta_audit
    assert "rules.save" in zeta_audit

    # A post both hear: each tenant's analysis shows its own routing, never the other's.
    posts = {p["source_id"]: p for p in acme.get("/api/v1/posts").json()["items"]}
    assert posts["3"]["analysis"]["routing"]["queue"] == "acme-care"
    assert posts["4"]["analysis"]["routing"] is None
    posts = {p["source_id"]: p for p in zeta.get("/api/v1/posts").json()["items"]}
    assert posts["3"]["analysis"]["routing"]["queue"] == "zeta-care"


def test_the_live_events_of_one_tenant_never_reach_another(
    clients: dict[str, TestClient],
) -> None:
    acme, zeta, operator = clients["acme"], clients["zeta"], clients["operator"]
    ingest(operator, wire("5", "acme charged me twice", author="55"))
    (acme_case,) = case_ids(acme, "acme-care")
    ingest(operator, wire("6", "zeta charged me twice", author="66"))
    (zeta_case,) = case_ids(zeta, "zeta-care")
    with zeta.stream("GET", "/api/v1/events") as stream:
        lines = stream.iter_lines()
        assert next(lines) == "retry: 3000"
        acme.post(f"/api/v1/cases/{acme_case}/claim")
        zeta.post(f"/api/v1/cases/{zeta_case}/claim")
        data = next(line for line in lines if line.startswith("data: "))
    event = json.loads(data.removeprefix("data: "))
    assert (event["id"], event["change"]) == (zeta_case, "claimed")
