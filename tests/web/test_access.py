"""Access on every endpoint: an access matrix over the app's own routes (every role,
anonymous, another tenant), CSRF for cookie sessions, revoked tokens, masking."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from rapport.auth import passwords
from rapport.auth.roles import ROLES, Permission, permissions_of
from rapport.auth.tokens import new_token
from rapport.auth.users import new_user
from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database, schema
from rapport.store.rule_versions import save_version
from rapport.store.templates import save_template
from rapport.store.tokens import insert_token
from rapport.store.users import insert_user
from rapport.web.app import create_app

PASSWORD = "correct horse battery staple"
NOW = datetime.now(UTC).replace(microsecond=0)
CARD = "4111 1111 1111 1111"
P = Permission


def walk(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every API route, also inside included routers (which FastAPI
    0.165 keeps as `_IncludedRouter` entries holding the original router)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield from ((m, prefix + route.path) for m in (route.methods or set()) - {"HEAD"})
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from walk(included.routes, prefix + route.include_context.prefix)  # type: ignore[attr-defined]


def make_app(settings: Settings, database: Database, *, enrich: bool = False) -> FastAPI:
    return create_app(settings, database, build_runner(settings, database, enrich=enrich))


@pytest.fixture(autouse=True)
def cheap_hashing() -> Iterator[None]:
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    passwords.use_hasher(previous)


def add_user(database: Database, email: str, role: str, tenant: str = "default") -> int:
    hashed = passwords.hash_password(PASSWORD)
    new = new_user(
        email=email, name=email.split("@")[0].title(), role=role, tenant=tenant,
        password_hash=hashed,
    )  # fmt: skip
    user = database.write(lambda conn: insert_user(conn, new))
    return user.id


def token_for(database: Database, user_id: int, scopes: list[str]) -> str:
    raw, new = new_token(user_id, "test", scopes, datetime.now(UTC))
    database.write(lambda conn: insert_token(conn, new))
    return raw


def admin_client(app: FastAPI, database: Database, tenant: str = "default") -> TestClient:
    """A client with an admin's API token (all permissions, no CSRF needed)."""
    user_id = add_user(database, f"root-{uuid.uuid4().hex[:12]}@{tenant}.test", "admin", tenant)
    client = TestClient(app)
    raw = token_for(database, user_id, [p.value for p in Permission])
    client.headers["Authorization"] = f"Bearer {raw}"
    return client


def log_in(client: TestClient, email: str) -> None:
    response = client.post("/api/v1/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]


def wire(source_id: str, text: str, author: str = "77", **extra: Any) -> dict[str, Any]:
    return {
        "network": "x", "source_id": source_id, "text": text,
        "created_at": (NOW - timedelta(minutes=5)).isoformat(),
        "author": {"source_id": author, "handle": f"user{author}", "display_name": "Bo"},
        **extra,
    }  # fmt: skip


def ingest(client: TestClient, *posts: dict[str, Any]) -> list[int]:
    response = client.post("/api/v1/posts", content=orjson.dumps(list(posts)))
    assert response.status_code == 200, response.text
    ids: list[int] = response.json()["ids"]
    return ids


def open_case(
    database: Database, post_id: int, *, tenant: str = "default", author: str = "77",
    team: str = "cards", lang: str = "en", tags: tuple[str, ...] = (),
) -> int:  # fmt: skip
    """A case row for a stored post, as the desk would write it."""
    cases = schema.cases
    row = {
        "tenant": tenant, "network": "x", "conversation_id": str(post_id),
        "customer_id": author, "customer_handle": f"user{author}", "team": team,
        "lang": lang, "tags": orjson.dumps(list(tags)).decode(), "root_post_id": post_id,
        "latest_post_id": post_id, "opened_at": NOW, "updated_at": NOW,
    }  # fmt: skip

    def job(conn: sa.Connection) -> int:
        case_id = conn.execute(sa.insert(cases).returning(cases.c.id), row).scalar_one()
        conn.execute(sa.insert(schema.case_posts),
                     {"tenant": tenant, "post_id": post_id, "case_id": case_id,
                      "role": "message"})  # fmt: skip
        conn.execute(sa.insert(schema.case_events),
                     {"case_id": case_id, "at": NOW, "kind": "opened"})  # fmt: skip
        return int(case_id)

    return database.write(job)


# What each route needs. "login": nobody; "user": any signed-in user; else a permission.
# `tenant` marks routes whose path names a tenant's object: another tenant gets 404.
@dataclass(frozen=True)
class Rule:
    need: Permission | str
    body: Any = None
    tenant: bool = False
    roles: frozenset[str] | None = None  # when the route also checks the role itself
    stream: bool = False  # an endless stream: only refusals are checked
    operator: bool = False  # only the operator tenant's administrators: others get 403


SUPERVISORS = frozenset({"admin", "supervisor"})
ADMINS = frozenset({"admin"})
MATRIX: dict[tuple[str, str], Rule] = {
    ("POST", "/api/v1/login"): Rule("login"),
    ("POST", "/api/v1/logout"): Rule("user"),
    ("GET", "/api/v1/me"): Rule("user"),
    ("GET", "/api/v1/users"): Rule(P.MANAGE_USERS),
    ("POST", "/api/v1/users"): Rule(P.MANAGE_USERS, {"email": "{email}", "role": "agent"}),
    ("PATCH", "/api/v1/users/{user_id}"): Rule(P.MANAGE_USERS, {"name": "Sam"}),
    ("GET", "/api/v1/tokens"): Rule("user"),
    ("POST", "/api/v1/tokens"): Rule("user", {"name": "t", "scopes": ["posts:read"]}),
    ("DELETE", "/api/v1/tokens/{token_id}"): Rule("user"),
    ("GET", "/api/v1/audit"): Rule(P.READ_AUDIT),
    ("GET", "/api/v1/posts"): Rule(P.READ_POSTS),
    ("POST", "/api/v1/posts"): Rule(P.INGEST, []),
    ("GET", "/api/v1/posts/{post_id}"): Rule(P.READ_POSTS),
    ("GET", "/api/v1/threads/{network}/{conversation_id}"): Rule(P.READ_POSTS),
    ("GET", "/api/v1/stats"): Rule(P.READ_POSTS),
    ("GET", "/api/v1/authors/{network}/{source_id}"): Rule(P.READ_POSTS),
    ("POST", "/api/v1/posts/{post_id}/corrections"): Rule(
        P.ACT_ON_CASES, {"field": "sentiment", "label": "negative"}
    ),
    ("GET", "/api/v1/queues"): Rule(P.READ_CASES),
    ("GET", "/api/v1/queues/{team}"): Rule(P.READ_CASES),
    ("GET", "/api/v1/cases/{case_id}"): Rule(P.READ_CASES, tenant=True),
    ("POST", "/api/v1/cases/{case_id}/events"): Rule(
        P.ACT_ON_CASES, {"kind": "waiting_on_customer"}, tenant=True
    ),
    ("POST", "/api/v1/cases/{case_id}/replies"): Rule(
        P.ACT_ON_CASES, {"text": "Hey Bo, sorted!", "private": True}, tenant=True
    ),
    ("POST", "/api/v1/cases/{case_id}/template"): Rule(
        P.ACT_ON_CASES, {"name": "received"}, tenant=True
    ),
    ("GET", "/api/v1/replies/pending"): Rule(P.ACT_ON_CASES, roles=SUPERVISORS),
    ("POST", "/api/v1/replies/{reply_id}/approve"): Rule(P.ACT_ON_CASES, roles=SUPERVISORS),
    ("POST", "/api/v1/replies/{reply_id}/reject"): Rule(P.ACT_ON_CASES, roles=SUPERVISORS),
    ("GET", "/api/v1/alerts"): Rule(P.READ_CASES),
    ("GET", "/api/v1/reports/nps"): Rule(P.READ_REPORTS),
    ("GET", "/api/v1/reports/volume"): Rule(P.READ_REPORTS),
    ("GET", "/api/v1/reports/response-times"): Rule(P.READ_REPORTS),
    ("GET", "/api/v1/reports/staffing"): Rule(P.READ_REPORTS),
    ("GET", "/api/v1/reports/influencers"): Rule(P.READ_REPORTS),
    ("GET", "/api/v1/reports/spikes"): Rule(P.READ_REPORTS),
    ("GET", "/api/v1/reports/sentiment-trend"): Rule(P.READ_REPORTS),
    ("POST", "/api/v1/cases/{case_id}/claim"): Rule(P.ACT_ON_CASES, tenant=True),
    ("POST", "/api/v1/cases/{case_id}/release"): Rule(P.ACT_ON_CASES, tenant=True),
    ("POST", "/api/v1/queues/{team}/next"): Rule(P.ACT_ON_CASES),
    ("POST", "/api/v1/assign/run"): Rule(P.ACT_ON_CASES, roles=SUPERVISORS),
    ("POST", "/api/v1/cases/{case_id}/presence"): Rule(P.READ_CASES, {}, tenant=True),
    ("POST", "/api/v1/cases/{case_id}/notes"): Rule(P.ACT_ON_CASES, {"text": "n"}, tenant=True),
    ("GET", "/api/v1/cases/{case_id}/notes"): Rule(P.READ_CASES, tenant=True),
    ("PUT", "/api/v1/cases/{case_id}/tags"): Rule(P.ACT_ON_CASES, {"tags": ["vip"]}, tenant=True),
    ("POST", "/api/v1/cases/{case_id}/snooze"): Rule(
        P.ACT_ON_CASES, {"until": (NOW + timedelta(days=1)).isoformat()}, tenant=True
    ),
    ("DELETE", "/api/v1/cases/{case_id}/snooze"): Rule(P.ACT_ON_CASES, tenant=True),
    ("GET", "/api/v1/events"): Rule(P.READ_CASES, stream=True),
    ("GET", "/api/v1/rules"): Rule(P.READ_CASES),
    ("PUT", "/api/v1/rules"): Rule(P.MANAGE_RULES, {"yaml": "rules: []\n"}),
    ("GET", "/api/v1/rules/versions"): Rule(P.READ_CASES),
    ("GET", "/api/v1/rules/versions/{version}"): Rule(P.READ_CASES, tenant=True),
    ("POST", "/api/v1/rules/dry-run"): Rule(P.READ_CASES, {"days": 1}),
    ("GET", "/api/v1/config/status"): Rule(P.READ_CASES),
    ("GET", "/api/v1/templates"): Rule(P.READ_CASES),
    ("PUT", "/api/v1/templates/{name}/{lang}"): Rule(P.MANAGE_TEMPLATES, {"text": "Hi {name}!"}),
    ("DELETE", "/api/v1/templates/{name}/{lang}"): Rule(P.MANAGE_TEMPLATES),
    ("GET", "/api/v1/customers/{network}/{author_source_id}"): Rule(P.READ_CASES),
    ("POST", "/api/v1/customers/link"): Rule(
        P.ACT_ON_CASES,
        {"handles": [{"network": "x", "author_source_id": a} for a in ("77", "88")]},
    ),
    ("DELETE", "/api/v1/customers/{network}/{author_source_id}/link"): Rule(P.ACT_ON_CASES),
    ("GET", "/api/v1/cases/{case_id}/recommendations"): Rule(P.READ_CASES, tenant=True),
    ("POST", "/api/v1/cases/{case_id}/recommendations/{item_id}/used"): Rule(
        P.ACT_ON_CASES, tenant=True
    ),
    ("POST", "/api/v1/cases/{case_id}/recommendations/{item_id}/taken_up"): Rule(
        P.ACT_ON_CASES, tenant=True
    ),
    ("GET", "/api/v1/recommendations/catalogue"): Rule(P.READ_CASES),
    ("GET", "/api/v1/tenants"): Rule(P.READ_CASES),
    ("POST", "/api/v1/tenants"): Rule(
        P.MANAGE_RULES, {"id": "{tenant}", "name": "New"}, roles=ADMINS, operator=True
    ),
    ("GET", "/api/v1/tenants/{tenant_id}"): Rule(P.READ_CASES, tenant=True),
    ("PATCH", "/api/v1/tenants/{tenant_id}"): Rule(
        P.MANAGE_RULES, {"name": "Default"}, tenant=True, roles=ADMINS
    ),
    ("GET", "/api/v1/tenants/{tenant_id}/config"): Rule(P.READ_CASES, tenant=True),
    ("GET", "/api/v1/tenants/{tenant_id}/config/{kind}/versions"): Rule(P.READ_CASES, tenant=True),
    ("PUT", "/api/v1/tenants/{tenant_id}/config/{kind}"): Rule(
        P.MANAGE_RULES, {"body": "handles: [novacard]\n"}, tenant=True
    ),
}


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    return {(method, path) for method, path in walk(app.routes) if path.startswith("/api/v1")}


@dataclass
class World:
    app: FastAPI
    clients: dict[str, TestClient]
    values: dict[str, str]
    emails: dict[str, str]


@pytest.fixture
def world(settings: Settings, database: Database) -> Iterator[World]:
    app = make_app(settings, database)
    with admin_client(app, database) as root:
        post_id, _ = ingest(
            root, wire("1001", f"card {CARD} charged twice"), wire("1002", "hi", "88")
        )
        case_id = open_case(database, post_id)
        version = database.write(lambda conn: save_version(conn, "rules: []\n", tenant="default"))
        database.write(lambda conn: save_template(conn, "default", "received", "en", "Yo {name}"))
        emails: dict[str, str] = {role: f"{role}@bank.test" for role in ROLES}
        emails["other"] = "admin@other.test"
        ids: dict[str, int] = {role: add_user(database, emails[role], role) for role in ROLES}
        ids["other"] = add_user(database, emails["other"], "admin", "other")
        clients: dict[str, TestClient] = {"anonymous": TestClient(app)}
        for who, email in emails.items():
            clients[who] = TestClient(app)
            log_in(clients[who], email)
        values = {
            "user_id": str(ids["agent"]), "token_id": "999999", "post_id": str(post_id),
            "network": "x", "conversation_id": "1001", "source_id": "77", "team": "cards",
            "case_id": str(case_id), "version": str(version), "name": "received", "lang": "en",
            "author_source_id": "77", "reply_id": "999999", "item_id": "dispute_tracker",
            "tenant_id": "default", "kind": "handles",
        }  # fmt: skip
        yield World(app, clients, values, emails)
        for client in clients.values():
            client.close()


def call(world: World, who: str, method: str, path: str, rule: Rule, n: int) -> int:
    client = world.clients[who]
    url = re.sub(r"\{(\w+)\}", lambda m: world.values[m.group(1)], path)
    body = rule.body
    if isinstance(body, dict) and body.get("email") == "{email}":
        body = {**body, "email": f"new{n}-{who}@bank.test"}
    if isinstance(body, dict) and body.get("id") == "{tenant}":
        body = {**body, "id": f"new{n}-{who}"}
    if path == "/api/v1/login":
        body = {"email": world.emails.get(who, "nobody@bank.test"), "password": PASSWORD}
    response = (
        client.request(method, url, json=body) if body is not None else client.request(method, url)
    )
    if path in ("/api/v1/logout", "/api/v1/login") and who != "anonymous":
        client.cookies.clear()
        log_in(client, world.emails[who])
    return response.status_code


def test_every_api_route_is_classified(settings: Settings, database: Database) -> None:
    routes = api_routes(make_app(settings, database))
    missing = sorted(routes - set(MATRIX))
    assert not missing, f"classify these routes in MATRIX (tests/web/test_access.py): {missing}"
    assert not set(MATRIX) - routes, "MATRIX names routes the app does not have"


def allowed(rule: Rule, role: str) -> bool:
    if rule.need != "user" and rule.need not in permissions_of(role):
        return False
    return rule.roles is None or role in rule.roles


def test_the_access_matrix(world: World) -> None:
    failures = []
    for n, ((method, path), rule) in enumerate(sorted(MATRIX.items())):
        for who in ["anonymous", *ROLES, "other"]:
            role = "admin" if who == "other" else who
            if rule.need == "login":
                expected: set[int] | None = {401} if who == "anonymous" else None
            elif who == "anonymous":
                expected = {401}
            elif not allowed(rule, role):
                expected = {403}
            elif who == "other" and rule.tenant:
                expected = {404}
            elif who == "other" and rule.operator:
                expected = {403}
            else:
                expected = None
            if expected is None and rule.stream:
                continue
            status = call(world, who, method, path, rule, n)
            ok = status not in (401, 403) if expected is None else status in expected
            if not ok:
                failures.append(
                    f"{who:10} {method:6} {path}: {status}, wanted {expected or 'access'}"
                )
    assert not failures, "\n".join(failures)


def test_another_tenants_template_and_rules_are_not_seen(world: World) -> None:
    other = world.clients["other"]
    texts = {(t["name"], t["lang"]): t for t in other.get("/api/v1/templates").json()["items"]}
    assert texts[("received", "en")]["source"] == "built_in"
    assert other.get("/api/v1/rules").json()["version"] is None
    assert other.get("/api/v1/rules/versions").json()["items"] == []
    assert other.get("/api/v1/queues").json()["items"] == []
    assert other.delete("/api/v1/templates/received/en").status_code == 404
    mine = world.clients["admin"].get("/api/v1/templates", params={"name": "received"})
    assert {t["lang"]: t["source"] for t in mine.json()["items"]}["en"] == "tenant"


def test_a_cookie_session_needs_the_csrf_header_for_changes(world: World) -> None:
    client = world.clients["agent"]
    token = client.headers.pop("X-CSRF-Token")
    url = f"/api/v1/cases/{world.values['case_id']}/events"
    refused = client.post(url, json={"kind": "waiting_on_customer"})
    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.json()["detail"]
    assert client.get(f"/api/v1/cases/{world.values['case_id']}").status_code == 200
    client.headers["X-CSRF-Token"] = token
    assert client.post(url, json={"kind": "waiting_on_customer"}).status_code == 200


def test_a_connector_token_ingests_and_stops_when_revoked(world: World) -> None:
    admin = world.clients["admin"]
    made = admin.post("/api/v1/tokens", json={"name": "connector", "scopes": ["posts:ingest"]})
    assert made.status_code == 201
    connector = TestClient(world.app)
    connector.headers["Authorization"] = f"Bearer {made.json()['token']}"
    assert ingest(connector, wire("2001", "hello"))
    assert connector.get("/api/v1/posts").status_code == 403  # ingest only
    assert admin.delete(f"/api/v1/tokens/{made.json()['id']}").status_code == 200
    assert connector.post("/api/v1/posts", content=b"[]").status_code == 401
    connector.close()


def test_analysts_see_personal_data_masked(world: World) -> None:
    analyst, agent = world.clients["analyst"], world.clients["agent"]
    post_id, case_id = world.values["post_id"], world.values["case_id"]
    assert CARD in agent.get(f"/api/v1/posts/{post_id}").json()["text"]
    for response in (
        analyst.get(f"/api/v1/posts/{post_id}"),
        analyst.get("/api/v1/posts"),
        analyst.get("/api/v1/threads/x/1001"),
        analyst.get(f"/api/v1/cases/{case_id}"),
        analyst.get("/api/v1/queues/cards"),
        analyst.get("/api/v1/customers/x/77"),
    ):
        assert response.status_code == 200, response.text
        assert CARD not in response.text
        assert "1111" in response.text  # the last digits stay, as a hint
    assert CARD in agent.get("/api/v1/queues/cards").json()["items"][0]["latest_text"]
