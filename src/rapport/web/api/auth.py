"""/api/v1/login, /logout, /me, /users, /tokens and /audit: accounts and access.

Every change is written with its audit entry in one transaction (`database.write`). Password
hashing, slow by design, happens before that transaction, never inside the one writer.
"""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from rapport.auth import passwords, throttle
from rapport.auth.roles import Permission, Role
from rapport.auth.sessions import (
    ABSOLUTE_TIMEOUT,
    create_session,
    revoke_session,
    revoke_user_sessions,
)
from rapport.auth.tokens import create_token, list_tokens, parse_scopes, revoke_token
from rapport.auth.users import (
    EmailTaken,
    User,
    count_active_admins,
    create_user,
    credentials,
    list_users,
    update_user,
)
from rapport.errors import InputError, NotFound
from rapport.store import audit
from rapport.web.responses import JSON, problem
from rapport.web.security import (
    CurrentUser,
    Principal,
    clear_session_cookie,
    client_ip,
    clock,
    require,
    set_session_cookie,
)

router = APIRouter(prefix="/api/v1", tags=["access"])

# The same words whether the email is unknown, the account inactive or the password wrong,
# so that the answer does not tell anyone which emails have accounts.
LOGIN_FAILED = "email or password is wrong"

ManageUsers = Annotated[Principal, Depends(require(Permission.MANAGE_USERS))]
ReadAudit = Annotated[Principal, Depends(require(Permission.READ_AUDIT))]

_Name = Annotated[str, Field(max_length=128)]
_Tags = Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(max_length=50)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(_Strict):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=passwords.MAX_LENGTH)
    tenant: str | None = Field(
        default=None, max_length=64, description="Needed only if the email is in several."
    )


class UserIn(_Strict):
    email: str = Field(max_length=254)
    name: _Name = ""
    role: Role
    password: str | None = Field(default=None, description="Omit to create without login.")
    teams: _Tags = Field(default_factory=list)
    languages: _Tags = Field(default_factory=list)
    skills: _Tags = Field(default_factory=list)
    capacity: int = Field(default=5, ge=0, le=1000)
    active: bool = True


class UserPatch(_Strict):
    """Only the fields sent change; null is refused (every field has a value)."""

    email: str = Field(default="", max_length=254)
    name: _Name = ""
    role: Role = "agent"
    password: str = ""
    teams: _Tags = Field(default_factory=list)
    languages: _Tags = Field(default_factory=list)
    skills: _Tags = Field(default_factory=list)
    capacity: int = Field(default=5, ge=0, le=1000)
    active: bool = True


class TokenIn(_Strict):
    name: str = Field(min_length=1, max_length=128)
    scopes: list[str] = Field(min_length=1, max_length=len(Permission))


class LastAdmin(InputError):
    """The change would leave a tenant without an active admin."""


@router.post("/login")
def login(request: Request, body: LoginIn) -> JSON:
    """Log in: sets the session cookie and returns the user and the CSRF token to send as
    X-CSRF-Token on every change. Refused for a while after repeated failures."""
    database = request.app.state.database
    now, ip = clock(request), client_ip(request)
    email = body.email.strip().lower()
    with database.reading() as conn:
        wait = throttle.seconds_to_wait(conn, email, ip, now=now)
        found = credentials(conn, email, tenant=body.tenant) if not wait else []
    if wait:
        return _throttled(wait)
    match: tuple[User, str] | None = None
    if not found:
        passwords.verify_password(None, body.password)
    for user, password_hash in found:
        if password_hash is not None and passwords.verify_password(password_hash, body.password):
            match = (user, password_hash)
            break
    if match is None:
        tenant = found[0][0].tenant if found else body.tenant or "default"

        def failed(conn: sa.Connection) -> None:
            throttle.record_failure(conn, email, ip, now=now)
            audit.record(conn, tenant, None, "login.failed", f"email:{email}", ip=ip, at=now)

        database.write(failed)
        return problem(401, LOGIN_FAILED)
    user, password_hash = match
    fresh = passwords.rehash(body.password) if passwords.needs_rehash(password_hash) else None

    def succeeded(conn: sa.Connection) -> tuple[str, Any]:
        throttle.clear(conn, email)
        if fresh is not None:
            update_user(conn, user.id, {"password_hash": fresh})
        secret, session = create_session(conn, user.id, now=now)
        audit.record(conn, user.tenant, user.id, "login", f"user:{user.id}", ip=ip, at=now)
        return secret, session

    secret, session = database.write(succeeded)
    response = JSON(
        {
            "user": user.to_json(),
            "csrf_token": session.csrf_token,
            "expires_at": session.expires_at.isoformat(),
        }
    )
    set_session_cookie(response, request, secret, max_age=ABSOLUTE_TIMEOUT)
    return response


@router.post("/logout")
def logout(request: Request, principal: CurrentUser) -> JSON:
    """End this session and clear its cookie."""
    session = principal.session
    if session is None:
        return problem(400, "an API token has no session; revoke it with DELETE /api/v1/tokens")
    ip = client_ip(request)

    def end(conn: sa.Connection) -> None:
        revoke_session(conn, session.id)
        audit.record(
            conn,
            principal.tenant,
            principal.user.id,
            "logout",
            f"user:{principal.user.id}",
            ip=ip,
            at=clock(request),
        )

    request.app.state.database.write(end)
    response = JSON({"logged_out": True})
    clear_session_cookie(response, request)
    return response


@router.get("/me")
def me(principal: CurrentUser) -> JSON:
    """Who you are, what you may do, and (for a session) the CSRF token to send on changes."""
    return JSON(
        {
            "user": principal.user.to_json(),
            "permissions": principal.permissions,
            "auth": "token" if principal.token else "session",
            "csrf_token": principal.session.csrf_token if principal.session else None,
        }
    )


@router.get("/users")
def read_users(
    request: Request,
    principal: ManageUsers,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> JSON:
    """Your tenant's users."""
    with request.app.state.database.reading() as conn:
        items = list_users(conn, principal.tenant, limit=limit, offset=offset)
    next_offset = offset + limit if len(items) == limit else None
    return JSON({"items": [u.to_json() for u in items], "next_offset": next_offset})


@router.post("/users", status_code=201)
def add_user(request: Request, principal: ManageUsers, body: UserIn) -> JSON:
    """Create a user in your tenant; without a password they cannot log in until given one."""
    try:
        password_hash = passwords.hash_password(body.password) if body.password else None
    except InputError as error:
        return problem(422, str(error))
    ip, now = client_ip(request), clock(request)

    def create(conn: sa.Connection) -> User:
        user = create_user(
            conn,
            email=body.email,
            name=body.name,
            role=body.role,
            tenant=principal.tenant,
            password_hash=password_hash,
            teams=body.teams,
            languages=body.languages,
            skills=body.skills,
            capacity=body.capacity,
            active=body.active,
            now=now,
        )
        audit.record(
            conn,
            principal.tenant,
            principal.user.id,
            "user.create",
            f"user:{user.id}",
            None,
            user.to_json(),
            ip,
            at=now,
        )
        return user

    try:
        user = request.app.state.database.write(create)
    except EmailTaken as error:
        return problem(409, str(error))
    except InputError as error:
        return problem(422, str(error))
    return JSON(user.to_json(), status_code=201)


@router.patch("/users/{user_id}")
def change_user(request: Request, principal: ManageUsers, user_id: int, body: UserPatch) -> JSON:
    """Change a user of your tenant: only the fields sent. A new password or deactivation
    ends the user's sessions."""
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    if not changes:
        return problem(422, "send at least one field to change")
    if "password" in changes:
        try:
            changes["password_hash"] = passwords.hash_password(changes.pop("password"))
        except InputError as error:
            return problem(422, str(error))
    ip, now = client_ip(request), clock(request)

    def change(conn: sa.Connection) -> User:
        before, after = update_user(conn, user_id, changes, tenant=principal.tenant)
        if (
            before.role == "admin"
            and before.active
            and count_active_admins(conn, after.tenant) == 0
        ):
            raise LastAdmin("this would leave the tenant without an active admin", "user")
        if "password_hash" in changes or not after.active:
            revoke_user_sessions(conn, user_id)
        shown = after.to_json()
        if "password_hash" in changes:
            shown["password"] = "changed"
        audit.record(
            conn,
            principal.tenant,
            principal.user.id,
            "user.update",
            f"user:{user_id}",
            before.to_json(),
            shown,
            ip,
            at=now,
        )
        return after

    try:
        user = request.app.state.database.write(change)
    except NotFound as error:
        return problem(404, str(error))
    except (EmailTaken, LastAdmin) as error:
        return problem(409, str(error))
    except InputError as error:
        return problem(422, str(error))
    return JSON(user.to_json())


@router.get("/tokens")
def read_tokens(request: Request, principal: CurrentUser) -> JSON:
    """Your API tokens (never their values, which are shown once)."""
    with request.app.state.database.reading() as conn:
        items = list_tokens(conn, principal.user.id)
    return JSON({"items": [t.to_json() for t in items]})


@router.post("/tokens", status_code=201)
def add_token(request: Request, principal: CurrentUser, body: TokenIn) -> JSON:
    """Create an API token with some of your permissions as its scopes. Its value is in this
    response only: copy it now."""
    if principal.token is not None:
        # A leaked token must not be able to mint itself successors.
        return problem(403, "log in to create tokens; a token cannot create tokens")
    try:
        scopes = parse_scopes(body.scopes)
    except InputError as error:
        return problem(422, str(error))
    beyond = sorted(s.value for s in scopes if not principal.may(s))
    if beyond:
        return problem(403, f"your role does not allow {', '.join(beyond)}")
    ip, now = client_ip(request), clock(request)

    def create(conn: sa.Connection) -> tuple[str, Any]:
        raw, token = create_token(conn, principal.user.id, body.name, scopes, now=now)
        audit.record(
            conn,
            principal.tenant,
            principal.user.id,
            "token.create",
            f"token:{token.id}",
            None,
            token.to_json(),
            ip,
            at=now,
        )
        return raw, token

    try:
        raw, token = request.app.state.database.write(create)
    except InputError as error:
        return problem(422, str(error))
    return JSON({**token.to_json(), "token": raw}, status_code=201)


@router.delete("/tokens/{token_id}")
def delete_token(request: Request, principal: CurrentUser, token_id: int) -> JSON:
    """Revoke one of your tokens; it stops working at once."""
    ip, now = client_ip(request), clock(request)

    def revoke(conn: sa.Connection) -> Any:
        before, after = revoke_token(conn, token_id, user_id=principal.user.id, now=now)
        audit.record(
            conn,
            principal.tenant,
            principal.user.id,
            "token.revoke",
            f"token:{token_id}",
            before.to_json(),
            after.to_json(),
            ip,
            at=now,
        )
        return after

    try:
        token = request.app.state.database.write(revoke)
    except NotFound as error:
        return problem(404, str(error))
    return JSON(token.to_json())


@router.get("/audit")
def read_audit(
    request: Request,
    principal: ReadAudit,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[int | None, Query(description="Continue below this entry id.")] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    user_id: int | None = None,
) -> JSON:
    """Your tenant's audit log, newest first: who, what, when, from where, before and after."""
    with request.app.state.database.reading() as conn:
        items = audit.list_entries(
            conn, principal.tenant, limit=limit, before_id=cursor, user_id=user_id, action=action
        )
    next_cursor = items[-1]["id"] if len(items) == limit else None
    return JSON({"items": items, "next_cursor": next_cursor})


def _throttled(wait: int) -> JSON:
    response = problem(
        429, f"too many failed logins; try again in {wait} seconds", retry_after=wait
    )
    response.headers["Retry-After"] = str(wait)
    return response
