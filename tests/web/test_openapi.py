"""The OpenAPI document describes every API route: what it returns, its error bodies, and
how to authenticate. The rule lives here once; a route added without a response model
fails the first test, named."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from rapport.settings import Settings
from rapport.store import Database
from tests.web.test_access import make_app, walk

Document = dict[str, Any]
# FastAPI's own pages, not the API.
_NOT_API = {"/api/docs", "/api/docs/oauth2-redirect", "/api/v1/openapi.json"}

# (method, path, status) -> the record its answer refers to, where the name says something.
NAMED = {
    ("get", "/api/v1/posts", "200"): "PostsPage",
    ("get", "/api/v1/posts/{post_id}", "200"): "StoredPost",
    ("post", "/api/v1/posts", "200"): "Ingested",
    ("post", "/api/v1/posts", "202"): "Accepted",
    ("get", "/api/v1/threads/{network}/{conversation_id}", "200"): "ThreadPage",
    ("get", "/api/v1/stats", "200"): "Stats",
    ("get", "/api/v1/authors/{network}/{source_id}", "200"): "AuthorProfile",
    ("put", "/api/v1/rules", "200"): "RulesPut",
    ("get", "/api/v1/rules/versions", "200"): "RuleVersionsPage",
    ("get", "/api/v1/rules/versions/{version}", "200"): "RuleVersion",
    ("post", "/api/v1/rules/dry-run", "200"): "DryRunSummary",
    ("get", "/api/v1/reports/nps", "200"): "NpsReport",
    ("get", "/api/v1/reports/volume", "200"): "VolumeReport",
    ("get", "/api/v1/reports/sentiment-trend", "200"): "TrendReport",
    ("get", "/api/v1/reports/response-times", "200"): "ResponseTimesReport",
    ("get", "/api/v1/reports/staffing", "200"): "StaffingSummary",
    ("get", "/api/v1/reports/influencers", "200"): "InfluencersReport",
    ("get", "/api/v1/reports/spikes", "200"): "SpikesReport",
    ("get", "/api/v1/cases/{case_id}", "200"): "CaseDetail",
    ("post", "/api/v1/cases/{case_id}/claim", "200"): "CaseDetail",
    ("post", "/api/v1/queues/{team}/next", "200"): "CaseDetail",
    ("get", "/api/v1/queues", "200"): "QueueSummaries",
    ("get", "/api/v1/queues/{team}", "200"): "QueuePage",
    ("post", "/api/v1/cases/{case_id}/notes", "201"): "Note",
    ("post", "/api/v1/assign/run", "200"): "AssignmentRun",
    ("post", "/api/v1/cases/{case_id}/presence", "200"): "Viewers",
    ("get", "/api/v1/alerts", "200"): "AlertPage",
    ("post", "/api/v1/login", "200"): "LoggedIn",
    ("get", "/api/v1/users", "200"): "UserPage",
    ("post", "/api/v1/users", "201"): "User",
    ("delete", "/api/v1/tokens/{token_id}", "200"): "ApiToken",
    ("post", "/api/v1/tokens", "201"): "IssuedToken",
    ("get", "/api/v1/audit", "200"): "AuditPage",
    ("post", "/api/v1/cases/{case_id}/replies", "201"): "Reply",
    ("get", "/api/v1/customers/{network}/{author_source_id}", "200"): "Customer",
    ("get", "/api/v1/cases/{case_id}/recommendations", "200"): "CaseRecommendations",
    ("get", "/api/v1/templates", "200"): "TemplatePage",
    ("get", "/api/v1/config/status", "200"): "ConfigStatus",
}


@pytest.fixture
def document(settings: Settings, database: Database) -> Document:
    return make_app(settings, database).openapi()


@pytest.fixture
def routes(settings: Settings, database: Database) -> list[tuple[str, str]]:
    """(method, path) of every API route the app serves, found by walking its routers, so
    a route left out of the document is caught too."""
    found = walk(make_app(settings, database).routes)
    return sorted((m.lower(), p) for m, p in found if p.startswith("/api/") and p not in _NOT_API)


def described(schema: dict[str, Any]) -> bool:
    """A schema that says what comes back: a named record, a list or choice of them, or an
    object with its fields; not `{}` nor an object of anything."""
    if "$ref" in schema:
        return True
    if schema.get("type") == "array":
        return described(schema.get("items", {}))
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        return all(o.get("type") == "null" or described(o) for o in options)
    return schema.get("type") == "object" and bool(schema.get("properties"))


def undescribed_answers(operation: dict[str, Any]) -> Iterator[str]:
    """Why each success answer of an operation fails to say what comes back."""
    successes = {c: r for c, r in operation["responses"].items() if c.startswith("2")}
    if not successes:
        yield "no success answer"
    for code, answer in successes.items():
        content = answer.get("content", {})
        if "application/json" in content:
            if not described(content["application/json"].get("schema", {})):
                yield f"{code}: JSON without a response model"
        elif not content and code != "204":
            yield f"{code}: no content documented"


def ref_name(answer: dict[str, Any]) -> str:
    return str(answer["content"]["application/json"]["schema"]["$ref"]).rsplit("/", 1)[-1]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_api_route_declares_what_it_returns(
    document: Document, routes: list[tuple[str, str]]
) -> None:
    assert len(routes) > 60
    failures = []
    for method, path in routes:
        operation = document["paths"].get(path, {}).get(method)
        if operation is None:
            failures.append(f"{method.upper()} {path}: missing from the OpenAPI document")
            continue
        failures += [f"{method.upper()} {path}: {why}" for why in undescribed_answers(operation)]
    assert not failures, "\n".join(failures)


def test_the_check_catches_a_route_without_a_model() -> None:
    Operation = dict[str, Any]
    free_form = {"type": "object", "additionalProperties": True}
    no_model: Operation = {"responses": {"200": {"content": {"application/json": {"schema": {}}}}}}
    loose: Operation = {
        "responses": {"200": {"content": {"application/json": {"schema": free_form}}}}
    }
    nothing: Operation = {"responses": {"200": {"description": "OK"}}}
    stream: Operation = {"responses": {"200": {"content": {"text/event-stream": {}}}}}
    empty: Operation = {"responses": {"204": {"description": "No case"}}}
    assert [len(list(undescribed_answers(o))) for o in (no_model, loose, nothing)] == [1, 1, 1]
    assert list(undescribed_answers(stream)) == list(undescribed_answers(empty)) == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_routes_name_the_records_they_return(document: Document) -> None:
    paths = document["paths"]
    wrong = {
        (method, path, status): ref_name(paths[path][method]["responses"][status])
        for (method, path, status), name in NAMED.items()
        if ref_name(paths[path][method]["responses"][status]) != name
    }
    assert not wrong
    current = paths["/api/v1/rules"]["get"]["responses"]["200"]["content"]
    refs = {option["$ref"] for option in current["application/json"]["schema"]["anyOf"]}
    assert {r.rsplit("/", 1)[1] for r in refs} == {"RuleVersion", "NoRulesSaved"}
    schemas = document["components"]["schemas"]
    assert {"text", "analysis", "created_at", "hashtags"} <= set(
        schemas["StoredPost"]["properties"]
    )
    assert "in_force_everywhere" in schemas["ConfigStatus"]["properties"]
    assert {"influence", "handle", "followers"} <= set(schemas["AuthorProfile"]["properties"])
    assert "204" in paths["/api/v1/queues/{team}/next"]["post"]["responses"]
    assert set(paths["/api/v1/events"]["get"]["responses"]["200"]["content"]) == {
        "text/event-stream"
    }


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_two_records_share_a_schema_name(document: Document) -> None:
    # Pydantic spells out the module path when two records share a name, and the document
    # then shows `rapport__records__posts__Stats` where a reader expects `Stats`.
    assert [name for name in document["components"]["schemas"] if "__" in name] == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_api_route_documents_its_error_bodies(
    document: Document, routes: list[tuple[str, str]]
) -> None:
    for method, path in routes:
        answers = document["paths"][path][method]["responses"]
        assert ref_name(answers["401"]) == "Problem", (method, path)
        assert ref_name(answers["422"]) in ("ValidationProblem", "Ingested"), (method, path)
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert {"status", "detail", "errors"} <= set(schemas["ValidationProblem"]["properties"])
    login = document["paths"]["/api/v1/login"]["post"]["responses"]
    assert ref_name(login["429"]) == "Problem"
    assert login["401"]["description"] == "email or password is wrong"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_document_says_how_to_authenticate(
    document: Document, routes: list[tuple[str, str]]
) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["apiToken"] == schemes["apiToken"] | {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "rpt_...",
    }
    assert schemes["sessionCookie"] == schemes["sessionCookie"] | {
        "type": "apiKey",
        "in": "cookie",
        "name": "rapport_session",
    }
    either: list[dict[str, list[str]]] = [{"apiToken": []}, {"sessionCookie": []}]
    for method, path in routes:
        security = document["paths"][path][method].get("security")
        assert security == (None if path == "/api/v1/login" else either), (method, path)
