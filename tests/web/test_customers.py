"""One customer across handles: cases of every handle in the tenant, sentiment per day,
tags, notes and posts; linking merges customers, unlinking splits one off; audit-logged."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rapport.care.channels import SimulatedNetwork
from rapport.records import Author, Batch, Envelope, Post
from rapport.settings import Settings
from rapport.store import Database, schema
from rapport.store.audit import list_entries
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
        actions = [e.action for e in list_entries(conn, "default")]
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
    # Each tenant links handles its own way: another's link is neither seen nor in the way.
    theirs = other.post(
        "/api/v1/customers/link",
        json={"handles": [{"network": "x", "author_source_id": a} for a in ("77", "88")]},
    )
    assert theirs.status_code == 200, theirs.text
    assert theirs.json()["customer_id"] != admin.get("/api/v1/customers/x/77").json()["customer_id"]
    assert other.delete("/api/v1/customers/x/88/link").status_code == 200
    assert admin.get("/api/v1/customers/x/88").json()["customer_id"].startswith("c_")
    other.close()


def survey_answer(admin: TestClient, case_id: int, author: str, text: str, source_id: str) -> None:
    """The customer answers the survey question their case was sent, on the network."""
    app: FastAPI = admin.app  # type: ignore[assignment]
    network: SimulatedNetwork = app.state.reply_desk.channels["x"]
    sent = next(s for o, s in reversed(network.messages)
                if o.kind == "survey" and o.case_id == case_id)  # fmt: skip
    post = Post(
        network="x", source_id=source_id, text=text, created_at=datetime.now(UTC),
        author=Author(source_id=author, handle=f"user{author}"), reply_to_id=sent.message_id,
    )  # fmt: skip
    app.state.runner.process(Batch(source="t", items=(Envelope(post=post),)))


def a_relationship(admin: TestClient, database: Database, author: str, n: int) -> int:
    """A case for `author` with every kind of event: their post, a reply, a resolution, a
    reopening and a second resolution, an answered survey, a recommendation shown and
    used. Returns the case."""
    [post_id] = ingest(admin, wire(f"{n}01", "my card was declined", author))
    case_id = open_case(database, post_id, author=author)
    reply = admin.post(f"/api/v1/cases/{case_id}/replies", json={"text": f"On it, #{n}!"})
    assert reply.status_code == 201, reply.text
    event = f"/api/v1/cases/{case_id}/events"
    for kind in ("resolved", "reopened", "resolved"):
        assert admin.post(event, json={"kind": kind}).status_code == 200
    survey_answer(admin, case_id, author, f"{8 + n % 3}/10 thanks", f"{n}02")
    item = admin.get("/api/v1/recommendations/catalogue").json()["items"][0]["id"]
    assert admin.get(f"/api/v1/cases/{case_id}/recommendations").status_code == 200
    used = admin.post(f"/api/v1/cases/{case_id}/recommendations/{item}/used")
    assert used.status_code == 201, used.text
    return case_id


Event = tuple[tuple[str, object], ...]


def stored(database: Database) -> dict[str, int]:
    tables = (schema.posts, schema.cases, schema.case_events, schema.replies, schema.surveys,
              schema.recommendation_events)  # fmt: skip
    with database.reading() as conn:
        return {t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                for t in tables}  # fmt: skip


def events_of(admin: TestClient, author: str) -> tuple[str, Counter[Event]]:
    customer = admin.get(f"/api/v1/customers/x/{author}").json()
    return customer["customer_id"], Counter(tuple(sorted(e.items())) for e in customer["timeline"])


def test_merging_and_unmerging_customers_keeps_every_event(
    admin: TestClient, database: Database
) -> None:
    # One customer on handle 77; another already across handles 88 and 99.
    mine = a_relationship(admin, database, "77", 1)
    theirs = [a_relationship(admin, database, "88", 2), a_relationship(admin, database, "99", 3)]
    link(admin, "88", "99")
    first_id, first = events_of(admin, "77")
    second_id, second = events_of(admin, "99")
    kinds = {"post", "case_opened", "case_resolved", "case_reopened", "reply", "survey",
             "recommendation_shown", "recommendation_used"}  # fmt: skip
    for events, cases in ((first, [mine]), (second, theirs)):
        for case_id in cases:
            on_case = Counter(dict(e)["kind"] for e in events if dict(e).get("case_id") == case_id)
            assert set(on_case) == kinds - {"post"}, on_case
            # Both resolutions stay on the record, although the case was reopened between.
            assert on_case["case_resolved"] == 2
    assert first.keys().isdisjoint(second.keys())
    answered = [dict(e)["score"] for e in first + second if dict(e)["kind"] == "survey"]
    assert sorted(answered, key=str) == [10, 8, 9]
    before = stored(database)

    merged = link(admin, "77", "99")
    assert merged["customer_id"] == second_id  # 77 joins the existing customer
    for handle in ("77", "88", "99"):
        customer_id, events = events_of(admin, handle)
        assert customer_id == second_id
        assert events == first + second  # every event of both, none twice

    split = admin.delete("/api/v1/customers/x/77/link").json()
    assert split["left"] == second_id
    assert events_of(admin, "77") == (first_id, first)
    assert events_of(admin, "88") == (second_id, second)
    assert stored(database) == before  # linking and unlinking deleted nothing
