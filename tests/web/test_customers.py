"""One customer across handles: cases of every handle in the tenant, sentiment per day,
tags, notes and posts; linking merges customers, unlinking splits one off; audit-logged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rapport.auth.audit import list_entries
from rapport.settings import Settings
from rapport.store import Database, schema
from tests.web.test_access import (
    NOW,
    admin_client,
    cheap_hashing,
    ingest,
    make_app,
    open_case,
    wire,
)

__all__ = ["cheap_hashing"]


@pytest.fixture
def admin(settings: Settings, database: Database) -> Iterator[TestClient]:
    with admin_client(make_app(settings, database), database) as client:
        yield client


def link(client: TestClient, *authors: str) -> dict[str, object]:
    handles = [{"network": "x", "author_source_id": a} for a in authors]
    response = client.post("/api/v1/customers/link", json={"handles": handles})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_a_customer_of_their_own_then_linked_then_split(
    admin: TestClient, database: Database
) -> None:
    first, second, third = ingest(
        admin, wire("1", "card declined again", "77"), wire("2", "still declined", "88"),
        wire("3", "hello", "99"),
    )  # fmt: skip
    old = open_case(database, first, tags=("cards",))
    new = open_case(database, second, author="88", tags=("vip",))
    database.write(
        lambda conn: conn.execute(
            sa.update(schema.cases).where(schema.cases.c.id == new)
            .values(opened_at=NOW + timedelta(hours=1))
        )
    )  # fmt: skip
    database.write(
        lambda conn: conn.execute(
            sa.insert(schema.case_notes),
            [{"case_id": old, "text": "called back", "created_at": NOW},
             {"case_id": new, "text": "prefers DMs", "created_at": NOW + timedelta(hours=2)}],
        )
    )  # fmt: skip
    database.write(
        lambda conn: conn.execute(
            sa.insert(schema.analyses),
            [{"post_id": first, "sentiment": "negative"},
             {"post_id": second, "sentiment": "negative"},
             {"post_id": third, "sentiment": "positive"}],
        )
    )  # fmt: skip

    alone = admin.get("/api/v1/customers/x/77").json()
    assert alone["customer_id"] == "x:77"
    assert [c["id"] for c in alone["cases"]] == [old]
    assert admin.get("/api/v1/customers/x/nobody").status_code == 404

    linked = link(admin, "77", "88")
    merged = link(admin, "99", "88")  # 99 joins the customer 88 belongs to
    assert merged["customer_id"] == linked["customer_id"]
    customer = admin.get("/api/v1/customers/x/99").json()
    assert customer["customer_id"] == linked["customer_id"]
    assert [h["handle"] for h in customer["handles"]] == ["user77", "user88", "user99"]
    assert [c["id"] for c in customer["cases"]] == [new, old]  # newest first
    assert customer["cases"][0]["latest_text"] == "still declined"
    assert customer["tags"] == ["cards", "vip"]
    assert [n["text"] for n in customer["notes"]] == ["prefers DMs", "called back"]
    assert customer["posts"] == 3
    day = (NOW - timedelta(minutes=5)).date().isoformat()
    assert customer["sentiment"] == [{"day": day, "negative": 2, "neutral": 0, "positive": 1}]
    paged = admin.get("/api/v1/customers/x/77", params={"limit": 1}).json()
    assert len(paged["cases"]) == 1
    assert paged["next_offset"] == 1

    split = admin.delete("/api/v1/customers/x/77/link")
    assert split.status_code == 200
    assert [h["author_source_id"] for h in split.json()["remaining"]] == ["88", "99"]
    assert admin.get("/api/v1/customers/x/77").json()["customer_id"] == "x:77"
    assert admin.delete("/api/v1/customers/x/77/link").status_code == 404
    admin.delete("/api/v1/customers/x/88/link")  # a group of one dissolves
    assert admin.get("/api/v1/customers/x/99").json()["customer_id"] == "x:99"
    with database.reading() as conn:
        actions = [e["action"] for e in list_entries(conn, "default")]
    assert actions[:4] == ["customer.unlink", "customer.unlink", "customer.link", "customer.link"]


def test_linking_is_validated_and_kept_per_tenant(
    admin: TestClient, database: Database, settings: Settings
) -> None:
    ingest(admin, wire("1", "hi", "77"), wire("2", "hi", "88"))
    lone = [{"network": "x", "author_source_id": "77"}]
    one = admin.post("/api/v1/customers/link", json={"handles": lone})
    assert one.status_code == 422
    same = [{"network": "x", "author_source_id": "77"}] * 2
    assert admin.post("/api/v1/customers/link", json={"handles": same}).status_code == 422
    unknown = admin.post(
        "/api/v1/customers/link",
        json={"handles": [{"network": "x", "author_source_id": a} for a in ("77", "zz")]},
    )
    assert unknown.status_code == 422
    assert "x:zz" in unknown.json()["detail"]
    link(admin, "77", "88")
    app: FastAPI = admin.app  # type: ignore[assignment]
    other = admin_client(app, database, tenant="other")
    assert other.get("/api/v1/customers/x/77").json()["customer_id"] == "x:77"
    assert other.delete("/api/v1/customers/x/77/link").status_code == 404
    refused = other.post(
        "/api/v1/customers/link",
        json={"handles": [{"network": "x", "author_source_id": a} for a in ("77", "88")]},
    )
    assert refused.status_code == 409
    other.close()
