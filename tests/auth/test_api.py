"""The access API: login, cookies, CSRF, tokens, who may call what, tenants, the audit log."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rapport.auth import throttle
from rapport.store import Database, schema
from tests.auth.conftest import PASSWORD, Clock, MakeClient, MakeUser, log_in


def test_login_sets_a_hardened_cookie_and_returns_the_csrf_token(
    clients: MakeClient, make_user: MakeUser
) -> None:
    make_user("ana@example.com", "agent")
    client = clients()
    response = client.post("/api/v1/login", json={"email": "ANA@example.com", "password": PASSWORD})

    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("rapport_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    assert "Secure" not in cookie
    assert response.json()["user"]["email"] == "ana@example.com"
    assert "password_hash" not in response.json()["user"]
    me = client.get("/api/v1/me").json()
    assert me["csrf_token"] == response.json()["csrf_token"]
    assert me["permissions"] == ["cases:act", "cases:read", "personal_data:read", "posts:read"]


def test_the_cookie_is_secure_over_tls(clients: MakeClient, make_user: MakeUser) -> None:
    make_user("ana@example.com")
    client = clients("https://testserver")
    response = client.post("/api/v1/login", json={"email": "ana@example.com", "password": PASSWORD})
    assert "Secure" in response.headers["set-cookie"]


def test_wrong_password_and_unknown_email_get_the_same_answer(
    clients: MakeClient, make_user: MakeUser
) -> None:
    make_user("ana@example.com")
    client = clients()
    wrong = client.post("/api/v1/login", json={"email": "ana@example.com", "password": "nope"})
    unknown = client.post("/api/v1/login", json={"email": "zed@example.com", "password": "nope"})

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"status": 401, "detail": "email or password is wrong"}
    assert "set-cookie" not in wrong.headers


def test_wrong_passwords_from_one_address_back_off_then_allow_again(
    clients: MakeClient, make_user: MakeUser, clock: Clock
) -> None:
    make_user("ana@example.com")
    client = clients(ip="203.0.113.9")
    bad = {"email": "ana@example.com", "password": "wrong password"}
    for _ in range(throttle.FREE_PER_PAIR + 1):
        assert client.post("/api/v1/login", json=bad).status_code == 401
    refused = client.post("/api/v1/login", json={"email": "ana@example.com", "password": PASSWORD})

    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "5"
    assert "try again in 5 seconds" in refused.json()["detail"]
    clock.advance(seconds=5)
    assert client.post("/api/v1/login", json=bad).status_code == 401
    assert client.post("/api/v1/login", json=bad).headers["retry-after"] == "10"  # doubled
    clock.advance(seconds=10)
    log_in(client, "ana@example.com")


def test_an_attacker_backing_off_does_not_lock_the_owner_out(
    clients: MakeClient, make_user: MakeUser
) -> None:
    make_user("ana@example.com")
    attacker = clients(ip="198.51.100.7")
    bad = {"email": "ana@example.com", "password": "wrong password"}
    for _ in range(throttle.FREE_PER_PAIR + 1):
        assert attacker.post("/api/v1/login", json=bad).status_code == 401
    assert attacker.post("/api/v1/login", json=bad).status_code == 429
    # Enough failures that the old hard lock (five per e-mail) would have shut Ana out.
    for n in range(3):
        other = clients(ip=f"198.51.100.{20 + n}")
        for _ in range(throttle.FREE_PER_PAIR):
            assert other.post("/api/v1/login", json=bad).status_code == 401

    log_in(clients(ip="192.0.2.44"), "ana@example.com")
    assert attacker.post("/api/v1/login", json=bad).status_code == 429  # still waiting


def test_one_address_is_limited_across_emails(
    clients: MakeClient, make_user: MakeUser, clock: Clock
) -> None:
    make_user("ana@example.com")
    spray = clients(ip="198.51.100.7")
    for n in range(throttle.MAX_PER_IP):
        wrong = {"email": f"user{n}@example.com", "password": "wrong password"}
        assert spray.post("/api/v1/login", json=wrong).status_code == 401
    right = {"email": "ana@example.com", "password": PASSWORD}
    refused = spray.post("/api/v1/login", json=right)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == str(int(throttle.IP_WINDOW.total_seconds()))
    log_in(clients(ip="192.0.2.44"), "ana@example.com")
    clock.advance(seconds=throttle.IP_WINDOW.total_seconds())
    log_in(spray, "ana@example.com")


def test_a_forwarded_for_header_from_a_client_changes_nothing(
    clients: MakeClient, make_user: MakeUser
) -> None:
    make_user("ana@example.com")
    client = clients(ip="198.51.100.7")
    bad = {"email": "ana@example.com", "password": "wrong password"}
    statuses = [
        client.post(
            "/api/v1/login", json=bad, headers={"X-Forwarded-For": f"192.0.2.{n}"}
        ).status_code
        for n in range(throttle.FREE_PER_PAIR + 2)
    ]
    assert statuses[-1] == 429  # every rotation counted against the connection's address
    assert statuses.count(401) == throttle.FREE_PER_PAIR + 1


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_clients(
    app: FastAPI, make_user: MakeUser
) -> None:
    app.state.settings = replace(app.state.settings, trusted_proxies="10.0.0.0/8")
    make_user("ana@example.com")
    proxy = TestClient(app, client=("10.1.2.3", 50000))
    bad = {"email": "ana@example.com", "password": "wrong password"}

    def attempt(forwarded: str, body: dict[str, str] = bad) -> int:
        return proxy.post(
            "/api/v1/login", json=body, headers={"X-Forwarded-For": forwarded}
        ).status_code

    # The client said 192.0.2.1; our proxies appended the address they saw, 198.51.100.7.
    for _ in range(throttle.FREE_PER_PAIR + 1):
        assert attempt("192.0.2.1, 198.51.100.7, 10.9.9.9") == 401
    assert attempt("192.0.2.2, 198.51.100.7") == 429
    # The owner, behind the same proxies from elsewhere, is not slowed.
    assert attempt("198.51.100.8", {"email": "ana@example.com", "password": PASSWORD}) == 200
    proxy.close()


def test_csrf_token_is_required_for_changes_made_with_the_cookie(
    clients: MakeClient, make_user: MakeUser
) -> None:
    make_user("ana@example.com", "admin")
    client = clients()
    token = log_in(client, "ana@example.com")
    del client.headers["X-CSRF-Token"]
    body = {"email": "bo@example.com", "role": "agent"}

    missing = client.post("/api/v1/users", json=body)
    wrong = client.post("/api/v1/users", json=body, headers={"X-CSRF-Token": "guess"})
    right = client.post("/api/v1/users", json=body, headers={"X-CSRF-Token": token})

    assert (missing.status_code, wrong.status_code, right.status_code) == (403, 403, 201)
    assert "X-CSRF-Token" in missing.json()["detail"]
    assert client.get("/api/v1/users").status_code == 200  # reads need no token


def test_api_tokens_act_without_csrf_within_their_scopes_until_revoked(
    clients: MakeClient, make_user: MakeUser, database: Database
) -> None:
    make_user("ana@example.com", "admin")
    browser = clients()
    log_in(browser, "ana@example.com")
    created = browser.post("/api/v1/tokens", json={"name": "sync", "scopes": ["users:manage"]})
    narrow = browser.post("/api/v1/tokens", json={"name": "read", "scopes": ["posts:read"]})
    raw = created.json()["token"]

    assert created.status_code == 201
    with database.reading() as conn:
        assert raw not in str(conn.execute(sa.select(schema.api_tokens)).all())
    script = clients()
    script.headers["Authorization"] = f"Bearer {raw}"
    assert (
        script.post("/api/v1/users", json={"email": "c@example.com", "role": "agent"}).status_code
        == 201
    )
    assert script.get("/api/v1/audit").status_code == 403  # admin may, the token's scope not
    assert (
        script.post("/api/v1/tokens", json={"name": "x", "scopes": ["posts:read"]}).status_code
        == 403
    )
    reader = clients()
    reader.headers["Authorization"] = f"Bearer {narrow.json()['token']}"
    assert reader.get("/api/v1/users").status_code == 403

    assert browser.delete(f"/api/v1/tokens/{created.json()['id']}").status_code == 200
    assert script.get("/api/v1/me").status_code == 401
    assert reader.get("/api/v1/me").json()["permissions"] == ["posts:read"]


def test_a_token_cannot_carry_more_than_its_users_role(
    clients: MakeClient, make_user: MakeUser
) -> None:
    make_user("ana@example.com", "agent")
    client = clients()
    log_in(client, "ana@example.com")
    response = client.post("/api/v1/tokens", json={"name": "x", "scopes": ["users:manage"]})
    assert response.status_code == 403
    assert "users:manage" in response.json()["detail"]


def test_logout_and_idle_sessions_need_a_new_login(
    clients: MakeClient, make_user: MakeUser, clock: Clock
) -> None:
    make_user("ana@example.com")
    client = clients()
    log_in(client, "ana@example.com")
    assert client.post("/api/v1/logout").status_code == 200
    assert client.get("/api/v1/me").status_code == 401

    log_in(client, "ana@example.com")
    clock.advance(hours=11)
    assert client.get("/api/v1/me").status_code == 200  # and it counts as activity
    clock.advance(hours=11)
    assert client.get("/api/v1/me").status_code == 200
    clock.advance(hours=12)
    assert client.get("/api/v1/me").status_code == 401


def test_a_new_password_or_deactivation_ends_the_users_sessions(
    clients: MakeClient, make_user: MakeUser
) -> None:
    make_user("root@example.com", "admin")
    bo = make_user("bo@example.com", "agent")
    admin, agent = clients(), clients()
    log_in(admin, "root@example.com")
    log_in(agent, "bo@example.com")

    changed = admin.patch(f"/api/v1/users/{bo.id}", json={"password": "another long secret"})
    assert changed.status_code == 200
    assert agent.get("/api/v1/me").status_code == 401
    log_in(agent, "bo@example.com", "another long secret")
    admin.patch(f"/api/v1/users/{bo.id}", json={"active": False})
    assert agent.get("/api/v1/me").status_code == 401
    refused = agent.post("/api/v1/login", json={"email": "bo@example.com", "password": PASSWORD})
    assert refused.status_code == 401


ENDPOINTS = ["me", "list users", "create user", "change user", "list tokens", "create token",
             "revoke token", "audit", "logout"]  # fmt: skip
# Which roles each endpoint lets in; every one of them wants a login.
ALLOWED = {
    "list users": {"admin"},
    "create user": {"admin"},
    "change user": {"admin"},
    "audit": {"admin", "supervisor"},
}
ROLES = ("admin", "supervisor", "agent", "analyst")


def call(client: TestClient, endpoint: str, target: int, n: int) -> int:
    token_id = 0
    if endpoint == "revoke token":
        made = client.post("/api/v1/tokens", json={"name": "t", "scopes": ["posts:read"]})
        token_id = made.json()["id"] if made.status_code == 201 else 1
    requests: dict[str, tuple[str, str, Any]] = {
        "me": ("GET", "/api/v1/me", None),
        "list users": ("GET", "/api/v1/users", None),
        "create user": ("POST", "/api/v1/users", {"email": f"new{n}@example.com", "role": "agent"}),
        "change user": ("PATCH", f"/api/v1/users/{target}", {"name": f"Target {n}"}),
        "list tokens": ("GET", "/api/v1/tokens", None),
        "create token": ("POST", "/api/v1/tokens", {"name": "t", "scopes": ["posts:read"]}),
        "revoke token": ("DELETE", f"/api/v1/tokens/{token_id}", None),
        "audit": ("GET", "/api/v1/audit", None),
        "logout": ("POST", "/api/v1/logout", None),
    }
    method, path, body = requests[endpoint]
    return client.request(method, path, json=body).status_code


def test_access_matrix_every_role_on_every_endpoint(
    clients: MakeClient, make_user: MakeUser
) -> None:
    target = make_user("target@example.com", "agent")
    for role in ROLES:
        make_user(f"{role}@example.com", role)
    anonymous = clients()
    found: dict[tuple[str, str], int] = {}
    for n, endpoint in enumerate(ENDPOINTS):
        assert call(anonymous, endpoint, target.id, n) == 401, endpoint
        for role in ROLES:
            client = clients()
            log_in(client, f"{role}@example.com")
            found[endpoint, role] = call(client, endpoint, target.id, n * 10 + len(role))

    expected = {
        (endpoint, role): (403 if role not in ALLOWED.get(endpoint, set(ROLES)) else ok)
        for endpoint in ENDPOINTS
        for role in ROLES
        for ok in [201 if endpoint in ("create user", "create token") else 200]
    }
    assert found == expected


def test_an_admin_sees_and_changes_only_their_tenants_users(
    clients: MakeClient, make_user: MakeUser
) -> None:
    make_user("root@example.com", "admin")
    other = make_user("bo@acme.example", "agent", tenant="acme")
    make_user("root@acme.example", "admin", tenant="acme")
    client = clients()
    log_in(client, "root@example.com")

    listed = client.get("/api/v1/users").json()["items"]
    assert [u["email"] for u in listed] == ["root@example.com"]
    assert client.patch(f"/api/v1/users/{other.id}", json={"name": "x"}).status_code == 404
    acme = clients()
    log_in_acme = acme.post(
        "/api/v1/login",
        json={"email": "root@acme.example", "password": PASSWORD, "tenant": "acme"},
    )
    acme.headers["X-CSRF-Token"] = log_in_acme.json()["csrf_token"]
    created = acme.post("/api/v1/users", json={"email": "cy@acme.example", "role": "analyst"})
    assert created.json()["tenant"] == "acme"
    actions = [e["action"] for e in client.get("/api/v1/audit").json()["items"]]
    assert actions == ["login"]


def test_every_change_is_audited_with_before_and_after(
    clients: MakeClient, make_user: MakeUser
) -> None:
    root = make_user("root@example.com", "admin")
    client = clients()
    log_in(client, "root@example.com")
    new = {"email": "bo@example.com", "role": "agent", "teams": ["billing"], "password": PASSWORD}
    bo = client.post("/api/v1/users", json=new)
    client.patch(f"/api/v1/users/{bo.json()['id']}", json={"role": "supervisor", "teams": []})
    client.post("/api/v1/login", json={"email": "bo@example.com", "password": "wrong"})

    entries = client.get("/api/v1/audit", params={"limit": 2}).json()
    failed, update = entries["items"]
    assert (failed["action"], failed["user_id"], failed["subject"]) == (
        "login.failed", None, "email:bo@example.com",
    )  # fmt: skip
    assert (update["action"], update["user_id"]) == ("user.update", root.id)
    assert (update["before"]["role"], update["before"]["teams"]) == ("agent", ["billing"])
    assert (update["after"]["role"], update["after"]["teams"]) == ("supervisor", [])
    assert update["ip"] == "testclient"
    rest = client.get("/api/v1/audit", params={"cursor": entries["next_cursor"]}).json()["items"]
    assert [e["action"] for e in rest] == ["user.create", "login"]
    assert rest[0]["before"] is None
    assert rest[0]["after"]["email"] == "bo@example.com"
    assert "password_hash" not in str(rest[0])


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"email": "nope", "role": "agent"}, 422, "not an email address"),
        ({"email": "a@example.com", "role": "root"}, 422, "role"),
        ({"email": "a@example.com", "role": "agent", "password": "short"}, 422, "at least 12"),
        ({"email": "a@example.com", "role": "agent", "extra": 1}, 422, "extra"),
        ({"email": "root@example.com", "role": "agent"}, 409, "already has an account"),
    ],
)
def test_bad_user_requests_are_refused_clearly(
    clients: MakeClient, make_user: MakeUser, body: dict[str, Any], status: int, message: str
) -> None:
    make_user("root@example.com", "admin")
    client = clients()
    log_in(client, "root@example.com")
    response = client.post("/api/v1/users", json=body)
    assert response.status_code == status
    assert message in response.text


def test_the_last_admin_cannot_be_demoted_and_null_is_refused(
    clients: MakeClient, make_user: MakeUser
) -> None:
    root = make_user("root@example.com", "admin")
    client = clients()
    log_in(client, "root@example.com")

    demoted = client.patch(f"/api/v1/users/{root.id}", json={"role": "agent"})
    nulled = client.patch(f"/api/v1/users/{root.id}", json={"name": None})
    empty = client.patch(f"/api/v1/users/{root.id}", json={})

    assert demoted.status_code == 409
    assert "without an active admin" in demoted.json()["detail"]
    assert (nulled.status_code, empty.status_code) == (422, 422)
    assert client.get("/api/v1/me").json()["user"]["role"] == "admin"
