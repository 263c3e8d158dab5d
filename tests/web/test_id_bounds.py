"""Ids past what the databases hold (a signed 64-bit integer) are the client's mistake: every
integer parameter of every route answers 404 or 422 for them, never 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from rapport.settings import Settings
from rapport.store import Database
from tests.web.test_access import (
    admin_client,
    cheap_hashing,  # noqa: F401 (autouse: fast password hashes)
    make_app,
)

TOO_BIG = (2**63, 2**64, -(2**63) - 1)


def api_routes(routes: list[BaseRoute]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from (
                _prefixed(r, route.include_context.prefix)  # type: ignore[attr-defined]
                for r in api_routes(included.routes)
            )


def _prefixed(route: APIRoute, prefix: str) -> APIRoute:
    if prefix and not route.path.startswith(prefix):
        route.path = prefix + route.path
    return route


def is_int(field: Any) -> bool:
    """An integer parameter, optional or not."""
    annotation = field.field_info.annotation
    return annotation is int or int in getattr(annotation, "__args__", ())


def requests(route: APIRoute) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    """(method, url, query, the parameter made too big) for each integer parameter."""
    dependant = route.dependant
    path_params = [f for d in _all(dependant) for f in d.path_params]
    query_params = [f for d in _all(dependant) for f in d.query_params]
    base = {f.alias: 1 if is_int(f) else "x" for f in path_params}
    for method in sorted((route.methods or set()) - {"HEAD"}):
        for field in [*path_params, *query_params]:
            if not is_int(field):
                continue
            for value in TOO_BIG:
                path = dict(base)
                query: dict[str, Any] = {}
                if field in path_params:
                    path[field.alias] = value
                else:
                    query[field.alias] = value
                yield method, route.path.format(**path), query, field.alias


def _all(dependant: Any) -> Iterator[Any]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _all(sub)


def refused(response: Any, name: str) -> bool:
    """404, or 422 naming the parameter (not the body a POST lacks)."""
    if response.status_code == 404:
        return True
    if response.status_code != 422:
        return False
    return any(error["loc"][-1] == name for error in response.json().get("errors", []))


@pytest.fixture
def client(settings: Settings, database: Database) -> Iterator[TestClient]:
    app = make_app(settings, database)
    client = admin_client(app, database)
    with TestClient(app, raise_server_exceptions=False) as fresh:
        fresh.headers.update(client.headers)
        yield fresh


def test_every_integer_parameter_refuses_ids_past_64_bits(client: TestClient) -> None:
    tried, failures = 0, []
    for route in api_routes(list(client.app.routes)):  # type: ignore[attr-defined]
        if not route.path.startswith("/api/"):
            continue
        for method, url, query, name in requests(route):
            body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
            response = client.request(method, url, params=query, json=body)
            tried += 1
            if not refused(response, name):
                failures.append(f"{method} {url} {query}: {response.status_code}")
    # Path ids, cursors, versions, user ids ...: the walk must find them, or it proves nothing.
    assert tried >= 29 * len(TOO_BIG)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/api/v1/customers/link", {"handles": [
            {"network": "x", "author_source_id": "a\u0000"},
            {"network": "x", "author_source_id": "b"},
        ]}),
        ("GET", "/api/v1/authors/x/a%00b", None),
        ("GET", "/api/v1/posts?q=card%00", None),
        ("PUT", "/api/v1/templates/hello/en", {"text": "Hi\u0000 there"}),
    ],
)  # fmt: skip
def test_text_with_a_nul_character_is_refused_not_a_500(
    client: TestClient, method: str, url: str, body: Any
) -> None:
    # PostgreSQL cannot store NUL in text; the API says so before the database is asked.
    response = client.request(method, url, json=body)
    assert response.status_code == 422, response.text
    assert "NUL" in response.json()["detail"]
