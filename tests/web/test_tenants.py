"""Tenants through the API: the operator creates them, each tenant's users see and configure
only their own, every change is audited, and bad configuration is refused naming the field."""

from __future__ import annotations

from datetime import UTC, datetime

from rapport.settings import Settings
from rapport.store import Database
from rapport.store import tenants as store
from rapport.store.audit import list_entries
from rapport.store.rule_versions import save_version
from tests.web.test_access import admin_client, cheap_hashing, make_app

__all__ = ["cheap_hashing"]


def test_tenants_are_created_by_the_operator_and_configured_by_their_own(
    settings: Settings, database: Database
) -> None:
    app = make_app(settings, database)
    operator = admin_client(app, database)
    # Only the operator's client runs the app's lifespan (it starts its threads once).
    acme = admin_client(app, database, tenant="acme")
    zeta = admin_client(app, database, tenant="zeta")
    with operator:
        made = operator.post(
            "/api/v1/tenants", json={"id": "acme", "name": " Acme ", "kind": "merchant"}
        )
        assert made.status_code == 201, made.text
        assert made.json()["name"] == "Acme"
        assert operator.post("/api/v1/tenants", json={"id": "acme", "name": "x"}).status_code == 409
        bad = operator.post("/api/v1/tenants", json={"id": "Not Ok", "name": "x"})
        assert bad.status_code == 422
        assert "tenant id 'Not Ok'" in bad.json()["detail"]
        assert {t["id"] for t in operator.get("/api/v1/tenants").json()} == {"default", "acme"}

        assert [t["id"] for t in acme.get("/api/v1/tenants").json()] == ["acme"]
        assert acme.post("/api/v1/tenants", json={"id": "mine", "name": "x"}).status_code == 403
        assert acme.get("/api/v1/tenants/default").status_code == 404
        assert zeta.get("/api/v1/tenants/acme").status_code == 404

        refused = acme.put("/api/v1/tenants/acme/config/handles", json={"body": "handles: [a b]"})
        assert refused.status_code == 422
        assert refused.json()["detail"] == "tenant acme, handles: handle 1 ('a b') is not a handle"
        first = acme.put("/api/v1/tenants/acme/config/handles", json={"body": "handles: [acme]"})
        second = acme.put(
            "/api/v1/tenants/acme/config/handles", json={"body": "handles: [acme, acme_help]"}
        )
        assert first.status_code == second.status_code == 201
        assert second.json()["id"] > first.json()["id"]
        current = acme.get("/api/v1/tenants/acme/config").json()
        assert [(c["kind"], c["body"]) for c in current] == [
            ("handles", "handles: [acme, acme_help]")
        ]
        history = acme.get("/api/v1/tenants/acme/config/handles/versions").json()
        assert [v["id"] for v in history] == [second.json()["id"], first.json()["id"]]
        assert (
            zeta.put(
                "/api/v1/tenants/acme/config/handles", json={"body": "handles: [z]"}
            ).status_code
            == 404
        )
        assert acme.put("/api/v1/tenants/acme/config/colour", json={"body": ""}).status_code == 422

    acme.close()
    zeta.close()
    with database.reading() as conn:
        assert [e.action for e in list_entries(conn, "default")][:1] == ["tenant.create"]
        assert [e.action for e in list_entries(conn, "acme")] == ["tenant.config.handles"] * 2
        assert list_entries(conn, "zeta") == []


def test_the_generation_grows_with_every_saved_configuration_or_rule(database: Database) -> None:
    now = datetime(2026, 12, 7, tzinfo=UTC)
    with database.reading() as conn:
        start = store.generation(conn)
    database.write(
        lambda conn: store.save_config(conn, "default", "handles", "handles: [a]", "", now)
    )
    with database.reading() as conn:
        after_config = store.generation(conn)
    database.write(lambda conn: save_version(conn, "rules: []\n", tenant="default"))
    with database.reading() as conn:
        after_rules = store.generation(conn)
    assert start < after_config < after_rules
