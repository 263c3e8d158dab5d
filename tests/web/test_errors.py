"""Every error answer has the problem shape (RFC 9457), whoever raised it: Rapport's own
errors, the sign-in checks, FastAPI's request validation and Starlette's unknown paths."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rapport.auth.roles import Permission
from rapport.settings import Settings
from rapport.store import Database
from tests.web.test_access import (
    PASSWORD,
    add_user,
    admin_client,
    cheap_hashing,
    make_app,
    token_for,
)

__all__ = ["cheap_hashing"]

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def client(settings: Settings, database: Database) -> Iterator[TestClient]:
    with admin_client(make_app(settings, database), database) as client:
        yield client


def test_nobody_signed_in_gets_a_problem_that_names_the_scheme(client: TestClient) -> None:
    anonymous = TestClient(client.app)
    refused = anonymous.get("/api/v1/posts")
    wrong_scheme = anonymous.get("/api/v1/posts", headers={"Authorization": "Basic eDp5"})
    unknown = anonymous.get("/api/v1/posts", headers={"Authorization": "Bearer rpt_nope"})

    for answer in (refused, wrong_scheme, unknown):
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"] == "Bearer"
        assert answer.json()["status"] == 401
    assert "log in first" in refused.json()["detail"]
    assert "Authorization: Bearer rpt_" in wrong_scheme.json()["detail"]
    assert unknown.json() == {"status": 401, "detail": "this API token is unknown or revoked"}


def test_a_failed_login_is_a_401_with_the_challenge(client: TestClient) -> None:
    anonymous = TestClient(client.app)
    failed = anonymous.post("/api/v1/login", json={"email": "no@one.test", "password": "x"})
    assert failed.status_code == 401
    assert failed.headers["www-authenticate"] == "Bearer"


def test_a_narrow_token_is_refused_with_a_problem(client: TestClient, database: Database) -> None:
    user_id = add_user(database, "reader@default.test", "admin", "default")
    narrow = TestClient(client.app)
    narrow.headers["Authorization"] = f"Bearer {token_for(database, user_id, ['posts:read'])}"

    refused = narrow.get("/api/v1/audit")

    assert refused.status_code == 403
    assert refused.json() == {
        "status": 403,
        "detail": f"this token's scopes do not allow {Permission.READ_AUDIT.value}",
    }


def test_invalid_requests_name_each_field_without_echoing_it(client: TestClient) -> None:
    too_many = client.get("/api/v1/posts", params={"limit": 100000})
    secret = f"{PASSWORD} but longer"
    no_email = TestClient(client.app).post("/api/v1/login", json={"password": secret})

    assert too_many.status_code == no_email.status_code == 422
    body = too_many.json()
    assert body["status"] == 422
    assert body["detail"].startswith("query.limit: ")
    assert [e["loc"] for e in body["errors"]] == [["query", "limit"]]
    assert {"msg", "type"} <= set(body["errors"][0])
    assert no_email.json()["errors"][0]["loc"] == ["body", "email"]
    assert secret not in no_email.text


def test_an_unknown_path_is_a_problem_too(client: TestClient) -> None:
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.json() == {"status": 404, "detail": "Not Found"}
