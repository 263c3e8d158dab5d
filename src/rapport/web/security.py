"""Who is asking, and may they: FastAPI dependencies for sessions, API tokens, roles and CSRF.

A request is authenticated by an `Authorization: Bearer rpt_...` token or by the
`rapport_session` cookie. A state-changing request (POST, PUT, PATCH, DELETE) that relies on
the cookie must also send the session's CSRF token in `X-CSRF-Token`: browsers attach
cookies to requests other sites start, but those sites cannot read the token. Token requests
need no CSRF check, since no browser sends a bearer token on its own.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends, Request, Response, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from rapport.actions.accounts import note_session_seen, note_token_used
from rapport.actions.base import Context
from rapport.auth import roles
from rapport.auth.clock import utcnow
from rapport.auth.roles import Permission
from rapport.auth.sessions import is_live, needs_touch, session_id
from rapport.auth.tokens import looks_like_token, token_hash
from rapport.errors import Forbidden, Unauthorized
from rapport.records.accounts import ApiToken, Session, User
from rapport.store import sessions, tokens, users

SESSION_COOKIE = "rapport_session"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# The two ways to authenticate, as the OpenAPI document (and /api/docs) shows them. They
# never refuse a request themselves: `current_user` reads the headers and says what is wrong.
API_TOKEN = HTTPBearer(
    scheme_name="apiToken",
    bearerFormat="rpt_...",
    description="An API token, issued by POST /api/v1/tokens.",
    auto_error=False,
)
SESSION_COOKIE_SCHEME = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="sessionCookie",
    description=(
        "The cookie POST /api/v1/login sets; changes also need the X-CSRF-Token header "
        "with the csrf_token login returned."
    ),
    auto_error=False,
)


@dataclass(frozen=True)
class Principal:
    """The user behind a request, and how they proved it (a session or a token)."""

    user: User
    session: Session | None = None
    token: ApiToken | None = None

    @property
    def tenant(self) -> str:
        return self.user.tenant

    def may(self, permission: Permission) -> bool:
        """The role must allow it and, for a token, so must the token's scopes."""
        allowed = roles.may(self.user.role, permission)
        return allowed and (self.token is None or self.token.allows(permission))

    @property
    def permissions(self) -> list[str]:
        return sorted(p.value for p in Permission if self.may(p))


def clock(request: Request) -> datetime:
    """Now, or the app's `state.clock()` when a test sets one."""
    now: Callable[[], datetime] = getattr(request.app.state, "clock", utcnow)
    return now()


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def _networks(setting: str) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in setting.split(",") if item)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # One address, one spelling: "::ffff:10.0.0.1" is 10.0.0.1.
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return mapped or address


def _trusted_proxies(request: Request) -> tuple[Network, ...]:
    settings: Any = getattr(request.app.state, "settings", None)
    return _networks(str(getattr(settings, "trusted_proxies", "") or ""))


def _from_trusted_proxy(request: Request) -> bool:
    networks = _trusted_proxies(request)
    peer = _address(request.client.host) if request.client is not None else None
    return peer is not None and any(peer in network for network in networks)


def client_ip(request: Request) -> str | None:
    """The address the request came from. X-Forwarded-For is believed only when the
    connection comes from a configured proxy (`trusted_proxies`), and then only as far as
    the proxies go: read from the right, the first hop that is not a trusted proxy is the
    client, since everything to its left is whatever that client chose to send."""
    if request.client is None:
        return None
    peer = _address(request.client.host)
    if peer is None:
        return request.client.host
    networks = _trusted_proxies(request)
    if not any(peer in network for network in networks):
        return str(peer)
    hops = [hop for line in request.headers.getlist("x-forwarded-for") for hop in line.split(",")]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # not an address: the proxy that sent it is the last word we can trust
        client = address
        if not any(address in network for network in networks):
            break
    return str(client)


def _bookkeeping(request: Request) -> Context:
    """Where noting a session's or token's use runs: nothing to announce about it."""
    return Context(request.app.state.database, clock=lambda: clock(request))


def current_user(
    request: Request,
    _token: Annotated[HTTPAuthorizationCredentials | None, Security(API_TOKEN)],
    _cookie: Annotated[str | None, Security(SESSION_COOKIE_SCHEME)],
) -> Principal:
    """The authenticated user, or 401; a cookie-authenticated write without the right CSRF
    token is refused with 403. (`_token` and `_cookie` are there for the OpenAPI document.)"""
    authorization = request.headers.get("authorization")
    if authorization is not None:
        return _by_token(request, authorization)
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        raise Unauthorized(
            "log in first (POST /api/v1/login) or send 'Authorization: Bearer rpt_...'"
        )
    database = request.app.state.database
    now = clock(request)
    with database.reading() as conn:
        session = sessions.find_session(conn, session_id(secret))
        if session is not None and not is_live(session, now):
            session = None
        user = users.active_user(conn, session.user_id) if session is not None else None
    if session is None or user is None:
        raise Unauthorized("your session has ended; log in again")
    if request.method not in _SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
            raise Forbidden(
                f"missing or wrong {CSRF_HEADER} header: send the csrf_token that "
                "POST /api/v1/login or GET /api/v1/me returned",
            )
    if needs_touch(session.last_seen_at, now):
        note_session_seen(_bookkeeping(request), session.id)
    return Principal(user=user, session=session)


CurrentUser = Annotated[Principal, Depends(current_user)]


def require(permission: Permission) -> Callable[[Principal], Principal]:
    """A dependency: the current user, if they may do `permission`; otherwise 403."""

    def dependency(principal: CurrentUser) -> Principal:
        if not principal.may(permission):
            how = "this token's scopes do not" if principal.token else "your role does not"
            raise Forbidden(f"{how} allow {permission.value}")
        return principal

    return dependency


def set_session_cookie(
    response: Response, request: Request, secret: str, *, max_age: timedelta
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(max_age.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure_cookies(request)
    )


def secure_cookies(request: Request) -> bool:
    """Secure over TLS, including TLS that a trusted proxy ended and says so in
    X-Forwarded-Proto, or always when `secure_cookies` is set."""
    settings: Any = getattr(request.app.state, "settings", None)
    if request.url.scheme == "https" or bool(getattr(settings, "secure_cookies", False)):
        return True
    proto = request.headers.get("x-forwarded-proto", "").rsplit(",", 1)[-1].strip().lower()
    return proto == "https" and _from_trusted_proxy(request)


def _by_token(request: Request, authorization: str) -> Principal:
    scheme, _, raw = authorization.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise Unauthorized("send the API token as 'Authorization: Bearer rpt_...'")
    database = request.app.state.database
    now = clock(request)
    value = raw.strip()
    token, user = None, None
    if looks_like_token(value):
        with database.reading() as conn:
            token = tokens.find_live_token(conn, token_hash(value))
            user = users.active_user(conn, token.user_id) if token is not None else None
    if token is None or user is None:
        raise Unauthorized("this API token is unknown or revoked")
    if needs_touch(token.last_used_at, now):
        note_token_used(_bookkeeping(request), token.id)
    return Principal(user=user, token=token)
