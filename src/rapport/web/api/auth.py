"""/api/v1/login, /logout, /me, /users, /tokens and /audit: accounts and access.

Every change is an action (`rapport.actions.accounts`), written with its audit entry in one
transaction. Password hashing, slow by design, happens here, before the action, never inside
the one writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ConfigDict, Field

from rapport.actions import accounts
from rapport.actions.base import Actor
from rapport.auth import passwords, throttle
from rapport.auth.roles import Permission, Role
from rapport.auth.sessions import ABSOLUTE_TIMEOUT
from rapport.auth.tokens import parse_scopes
from rapport.auth.users import new_user as checked_user
from rapport.auth.users import user_change
from rapport.errors import Forbidden, InputError, RapportError, Throttled, Unauthorized
from rapport.records.accounts import ApiToken, Credentials, User
from rapport.records.audit import AuditEntry
from rapport.store import audit, tokens, users
from rapport.store import throttle as failures
from rapport.web.acting import actor_of, context_of
from rapport.web.errors import CONFLICT, Problem
from rapport.web.params import Body, Id, id_query
from rapport.web.responses import JSON
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


class _Strict(Body):
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


@dataclass(frozen=True, slots=True)
class LoggedIn:
    user: User
    # Send it as X-CSRF-Token on every change.
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LoggedOut:
    logged_out: bool


@dataclass(frozen=True, slots=True)
class Me:
    user: User
    permissions: list[str]
    auth: str  # "session" or "token"
    csrf_token: str | None


@dataclass(frozen=True, slots=True)
class UserPage:
    items: list[User]
    next_offset: int | None


@dataclass(frozen=True, slots=True)
class TokenPage:
    items: list[ApiToken]


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token's record with its value, which no other response shows."""

    id: int
    user_id: int
    name: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    token: str


@dataclass(frozen=True, slots=True)
class AuditPage:
    items: list[AuditEntry]
    next_cursor: int | None


_LOGIN_REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": LOGIN_FAILED},
    429: {"model": Problem, "description": "Too many failed logins; see Retry-After."},
}


@router.post("/login", response_model=LoggedIn, responses=_LOGIN_REFUSED)
def login(request: Request, body: LoginIn) -> JSON:
    """Log in: sets the session cookie and returns the user and the CSRF token to send as
    X-CSRF-Token on every change. Refused for a while after repeated failures."""
    database = request.app.state.database
    now = clock(request)
    email = throttle.normal_email(body.email)
    ip = client_ip(request)
    watched = throttle.limits(email, ip)
    counted = {key: limit.count for key, limit in watched.items()}
    with database.reading() as conn:
        recent = failures.recent_failures(conn, counted, since=now - throttle.WINDOW)
        wait = throttle.seconds_to_wait(watched, recent, now)
        found = users.credentials(conn, email, tenant=body.tenant) if not wait else []
    if wait:
        raise Throttled(f"too many failed logins; try again in {wait} seconds", retry_after=wait)
    match = _verified(found, body.password)
    context = context_of(request)
    if match is None:
        tenant = found[0].user.tenant if found else body.tenant or "default"
        accounts.record_failed_login(context, Actor(tenant=tenant, ip=ip), email)
        raise Unauthorized(LOGIN_FAILED)
    user, password_hash = match.user, match.password_hash
    assert password_hash is not None  # it verified
    fresh = passwords.rehash(body.password) if passwords.needs_rehash(password_hash) else None
    actor = Actor(tenant=user.tenant, user_id=user.id, ip=ip)
    secret, session = accounts.log_in(context, actor, user, fresh_hash=fresh)
    response = JSON(
        {
            "user": user.to_json(),
            "csrf_token": session.csrf_token,
            "expires_at": session.expires_at.isoformat(),
        }
    )
    set_session_cookie(response, request, secret, max_age=ABSOLUTE_TIMEOUT)
    return response


@router.post(
    "/logout",
    response_model=LoggedOut,
    responses={400: {"model": Problem, "description": "An API token has no session to end."}},
)
def logout(request: Request, principal: CurrentUser) -> JSON:
    """End this session and clear its cookie."""
    session = principal.session
    if session is None:
        raise RapportError("an API token has no session; revoke it with DELETE /api/v1/tokens")
    accounts.log_out(context_of(request), actor_of(request, principal), session.id)
    response = JSON({"logged_out": True})
    clear_session_cookie(response, request)
    return response


@router.get("/me", response_model=Me)
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


@router.get("/users", response_model=UserPage)
def read_users(
    request: Request,
    principal: ManageUsers,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> JSON:
    """Your tenant's users."""
    with request.app.state.database.reading() as conn:
        items = users.list_users(conn, principal.tenant, limit=limit, offset=offset)
    next_offset = offset + limit if len(items) == limit else None
    return JSON({"items": [u.to_json() for u in items], "next_offset": next_offset})


@router.post("/users", status_code=201, response_model=User, responses=CONFLICT)
def add_user(request: Request, principal: ManageUsers, body: UserIn) -> JSON:
    """Create a user in your tenant; without a password they cannot log in until given one."""
    password_hash = passwords.hash_password(body.password) if body.password else None
    new = checked_user(
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
    )
    user = accounts.create_user(context_of(request), actor_of(request, principal), new)
    return JSON(user.to_json(), status_code=201)


@router.patch("/users/{user_id}", response_model=User, responses=CONFLICT)
def change_user(request: Request, principal: ManageUsers, user_id: Id, body: UserPatch) -> JSON:
    """Change a user of your tenant: only the fields sent. A new password or deactivation
    ends the user's sessions."""
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    if not changes:
        raise InputError("send at least one field to change")
    if "password" in changes:
        changes["password_hash"] = passwords.hash_password(changes.pop("password"))
    user = accounts.update_user(
        context_of(request), actor_of(request, principal), user_id, user_change(changes)
    )
    return JSON(user.to_json())


@router.get("/tokens", response_model=TokenPage)
def read_tokens(request: Request, principal: CurrentUser) -> JSON:
    """Your API tokens (never their values, which are shown once)."""
    with request.app.state.database.reading() as conn:
        items = tokens.list_tokens(conn, principal.user.id)
    return JSON({"items": [t.to_json() for t in items]})


@router.post("/tokens", status_code=201, response_model=IssuedToken)
def add_token(request: Request, principal: CurrentUser, body: TokenIn) -> JSON:
    """Create an API token with some of your permissions as its scopes. Its value is in this
    response only: copy it now."""
    if principal.token is not None:
        # A leaked token must not be able to mint itself successors.
        raise Forbidden("log in to create tokens; a token cannot create tokens")
    scopes = parse_scopes(body.scopes)
    beyond = sorted(s.value for s in scopes if not principal.may(s))
    if beyond:
        raise Forbidden(f"your role does not allow {', '.join(beyond)}")
    raw, token = accounts.issue_token(
        context_of(request), actor_of(request, principal), body.name, scopes
    )
    return JSON({**token.to_json(), "token": raw}, status_code=201)


@router.delete("/tokens/{token_id}", response_model=ApiToken)
def delete_token(request: Request, principal: CurrentUser, token_id: Id) -> JSON:
    """Revoke one of your tokens; it stops working at once."""
    token = accounts.revoke_token(context_of(request), actor_of(request, principal), token_id)
    return JSON(token.to_json())


@router.get("/audit", response_model=AuditPage)
def read_audit(
    request: Request,
    principal: ReadAudit,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[int | None, id_query("Continue below this entry id.")] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    user_id: Annotated[int | None, id_query("Only this user's entries.")] = None,
) -> JSON:
    """Your tenant's audit log, newest first: who, what, when, from where, before and after."""
    with request.app.state.database.reading() as conn:
        items = audit.list_entries(
            conn, principal.tenant, limit=limit, before_id=cursor, user_id=user_id, action=action
        )
    next_cursor = items[-1].id if len(items) == limit else None
    return JSON({"items": items, "next_cursor": next_cursor})


def _verified(found: list[Credentials], password: str) -> Credentials | None:
    """The account this password opens. With no account, one verification is still spent,
    so that the time taken does not tell an unknown email from a wrong password."""
    if not found:
        passwords.verify_password(None, password)
    for candidate in found:
        if candidate.password_hash is not None and passwords.verify_password(
            candidate.password_hash, password
        ):
            return candidate
    return None
