"""The JSON API: push ingest with quarantine, listing, search, threads, limits, headers."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest
from fastapi.testclient import TestClient

from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database
from rapport.store.quarantine import list_entries
from rapport.web.app import create_app
from tests.ingest.corpus import MALFORMED, good
from tests.web.test_access import admin_client, cheap_hashing

__all__ = ["cheap_hashing"]


@pytest.fixture
def client(settings: Settings, database: Database) -> Iterator[TestClient]:
    """An admin's API token: every endpoint needs a signed-in user (tests/web/test_access.py)."""
    app = create_app(settings, database, build_runner(settings, database, enrich=False))
    with admin_client(app, database) as test_client:
        yield test_client


def test_a_batch_of_good_posts_is_stored_once(client: TestClient, database: Database) -> None:
    batch = [good("1"), good("2", reply_to_id="1"), good("1")]
    first = client.post("/api/v1/posts", content=orjson.dumps(batch))
    again = client.post("/api/v1/posts", content=orjson.dumps({"posts": batch}))

    assert first.status_code == 200
    assert (first.json()["stored"], first.json()["duplicates"]) == (2, 1)
    assert (again.json()["stored"], again.json()["duplicates"]) == (0, 3)
    assert first.headers["x-request-id"] == first.json()["request_id"]
    assert database.count_posts() == 2


def test_bad_items_are_quarantined_by_index_and_good_ones_stored(
    client: TestClient, database: Database
) -> None:
    body = (
        b"["
        + orjson.dumps(good("1"))
        + b',{"network": "x"},'
        + orjson.dumps(good("3", network="friendster"))
        + b"]"
    )
    response = client.post("/api/v1/posts", content=body)

    assert response.status_code == 207
    result = response.json()
    assert result["stored"] == 1
    assert result["quarantined"] == 2
    assert [r["where"] for r in result["rejects"]] == ["item 1", "item 2"]
    assert "unknown network 'friendster'" in result["rejects"][1]["reason"]
    entries = list_entries(database)
    assert {e.source for e in entries} == {f"request {result['request_id']}"}


@pytest.mark.parametrize("raw", [m[1] for m in MALFORMED[:3]] + [b"\xff\xfe", b"42"])
def test_a_body_that_is_not_a_batch_is_refused_and_kept(
    client: TestClient, database: Database, raw: bytes
) -> None:
    response = client.post("/api/v1/posts", content=raw)
    assert response.status_code == 422
    assert response.json()["quarantined"] == 1
    assert len(list_entries(database)) == 1


def test_an_oversize_body_is_refused_with_413_and_its_head_kept(
    settings: Settings, database: Database
) -> None:
    small = Settings.load(
        {"database_url": settings.database_url, "max_request_bytes": 10_000}, environ={}
    )
    app = create_app(small, database, build_runner(small, database, enrich=False))
    with admin_client(app, database) as client:
        response = client.post(
            "/api/v1/posts", content=orjson.dumps([good(str(i)) for i in range(200)])
        )
    assert response.status_code == 413
    assert "RAPPORT_MAX_REQUEST_BYTES" in response.json()["detail"]
    [entry] = list_entries(database)
    assert entry.location == "body"
    assert len(entry.raw) > 0


def test_list_search_read_and_thread(client: TestClient) -> None:
    client.post(
        "/api/v1/posts",
        content=orjson.dumps(
            [
                good("1", text="My card was stolen in Lisbon"),
                good("2", text="@user1 so sorry, please DM us", reply_to_id="1"),
                good("3", text="Loving the cashback #rewards", network="reddit"),
            ]
        ),
    )
    listing = client.get("/api/v1/posts", params={"limit": 2}).json()
    assert [p["source_id"] for p in listing["items"]] == ["3", "2"]
    older = client.get("/api/v1/posts", params={"limit": 2, "cursor": listing["next_cursor"]})
    assert [p["source_id"] for p in older.json()["items"]] == ["1"]

    found = client.get("/api/v1/posts", params={"q": "stolen"}).json()["items"]
    assert [p["source_id"] for p in found] == ["1"]
    assert client.get("/api/v1/posts", params={"network": "reddit"}).json()["items"][0][
        "hashtags"
    ] == ["rewards"]

    post_id = found[0]["id"]
    assert client.get(f"/api/v1/posts/{post_id}").json()["text"] == "My card was stolen in Lisbon"
    assert client.get("/api/v1/posts/999999").status_code == 404
    thread = client.get("/api/v1/threads/x/1").json()["items"]
    assert [p["source_id"] for p in thread] == ["1", "2"]


def test_reading_and_pushing_need_a_signed_in_user(client: TestClient) -> None:
    anonymous = TestClient(client.app)
    assert anonymous.get("/api/v1/posts").status_code == 401
    assert anonymous.post("/api/v1/posts", content=b"[]").status_code == 401
    assert anonymous.get("/api/v1/openapi.json").status_code == 200
    anonymous.close()


def test_bad_query_parameters_get_clear_errors(client: TestClient) -> None:
    response = client.get("/api/v1/posts", params={"limit": 100000})
    assert response.status_code == 422
    assert "limit" in response.text


def test_the_page_forbids_inline_and_foreign_scripts(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    script = client.get("/static/app.js").text
    assert "innerHTML" not in script
    assert "textContent" in script


def test_pushed_posts_come_back_with_what_the_models_said(
    settings: Settings, database: Database
) -> None:
    app = create_app(settings, database, build_runner(settings, database, enrich=True))
    with admin_client(app, database) as client:
        post = good("9", text="Me robaron la tarjeta en el metro, ayuda por favor")
        assert client.post("/api/v1/posts", content=orjson.dumps([post])).status_code == 200
        [found] = client.get("/api/v1/posts").json()["items"]

    assert found["lang"] == "es"
    analysis = found["analysis"]
    assert (analysis["intent"], analysis["team"], analysis["urgency"]) == (
        "lost_or_stolen_card",
        "fraud_and_security",
        "critical",
    )
    assert analysis["urgency_reasons"]
    assert analysis["routing"]["queue"] == "fraud_and_security"
    assert analysis["priority"] == pytest.approx(
        sum(f["value"] * f["weight"] for f in analysis["priority_factors"]), abs=0.05
    )
