"""The OpenAPI document agrees with what the API answers: the 404 of an unknown object, the
422 of a body that cannot be read or a value that does not make sense, the body
`POST /api/v1/posts` reads. (Schemathesis checks all of it by fuzzing; these name each.)"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from rapport.settings import Settings
from rapport.store import Database
from tests.web.test_access import (
    admin_client,
    cheap_hashing,  # noqa: F401 (autouse: fast password hashes)
    make_app,
)

Document = dict[str, Any]
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def client(settings: Settings, database: Database) -> TestClient:
    return admin_client(make_app(settings, database), database)


@pytest.fixture
def document(client: TestClient) -> Document:
    answer: Document = client.get("/api/v1/openapi.json").json()
    return answer


def test_every_operation_naming_an_object_documents_its_404(
    client: TestClient, document: Document
) -> None:
    named = [
        (method, path)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if any(p["in"] == "path" for p in operation.get("parameters", []))
    ]
    assert len(named) > 30
    for method, path in named:
        answer = document["paths"][path][method]["responses"].get("404")
        assert answer is not None, (method, path)
        assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/Problem")
    missing = client.get("/api/v1/cases/424242")
    assert missing.status_code == 404
    assert set(missing.json()) == {"status", "detail"}


def test_a_body_that_is_not_utf8_is_a_documented_422(client: TestClient) -> None:
    json = {"content-type": "application/json"}
    response = client.post("/api/v1/users", content=b'{"email": "\xff\xfe"}', headers=json)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"loc": ["body"], "msg": "the body is not JSON in UTF-8", "type": "json_invalid"}
    ]


def test_a_value_refused_by_its_meaning_fits_the_documented_422(
    client: TestClient, document: Document
) -> None:
    # A well-formed body whose email is no address: the action refuses it, naming no field.
    response = client.post("/api/v1/users", json={"email": "nobody", "role": "agent"})
    assert response.status_code == 422
    body = response.json()
    schema = document["components"]["schemas"]["ValidationProblem"]
    assert set(schema["required"]) <= set(body)
    assert body["detail"]


def test_logout_with_a_token_is_a_documented_400(client: TestClient, document: Document) -> None:
    response = client.post("/api/v1/logout")
    assert response.status_code == 400
    answers = document["paths"]["/api/v1/logout"]["post"]["responses"]
    assert answers["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/Problem")


def test_ingest_documents_the_body_it_reads(document: Document) -> None:
    body = document["paths"]["/api/v1/posts"]["post"]["requestBody"]
    assert body["required"] is True
    shapes = body["content"]["application/json"]["schema"]["anyOf"]
    post = {"$ref": "#/components/schemas/Post"}
    assert shapes[0] == {"type": "array", "items": post}
    assert shapes[1]["properties"]["posts"] == {"type": "array", "items": post}
    assert shapes[2] == post
    schemas = document["components"]["schemas"]
    required = set(schemas["Post"]["required"])
    assert {"network", "source_id", "author", "text", "created_at"} <= required
    assert schemas["Post"]["properties"]["author"] == {"$ref": "#/components/schemas/Author"}
    assert {"Author", "PublicMetrics"} <= set(schemas)


def test_a_conflict_is_a_documented_409(client: TestClient, document: Document) -> None:
    new = {"email": "sam@default.test", "role": "agent"}
    assert client.post("/api/v1/users", json=new).status_code == 201
    again = client.post("/api/v1/users", json=new)
    assert again.status_code == 409
    assert set(again.json()) >= {"status", "detail"}
    for method, path in [
        ("post", "/api/v1/users"),
        ("post", "/api/v1/tenants"),
        ("post", "/api/v1/cases/{case_id}/claim"),
        ("post", "/api/v1/cases/{case_id}/events"),
        ("post", "/api/v1/replies/{reply_id}/reject"),
    ]:
        answer = document["paths"][path][method]["responses"]["409"]
        assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/Problem")
