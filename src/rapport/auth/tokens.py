"""Scoped API tokens for scripts and integrations. A token is shown once, when created:
`rpt_` and 43 random characters (32 bytes). Only its sha256 is stored; a plain hash is
enough because the token has 256 bits of randomness, nothing to guess.

A token acts as its user, narrowed to its scopes: the user's role is checked on every use,
so a demoted or deactivated user's tokens lose their power with them.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa

from rapport.auth.clock import as_utc, as_utc_or_none, utcnow
from rapport.auth.roles import Permission
from rapport.errors import InputError, NotFound
from rapport.store import schema

PREFIX = "rpt_"
_KNOWN = frozenset(p.value for p in Permission)


@dataclass(frozen=True)
class ApiToken:
    id: int
    user_id: int
    name: str
    scopes: frozenset[Permission]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    def allows(self, permission: Permission | str) -> bool:
        return permission in self.scopes

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user_id": self.user_id,
            "name": self.name,
            "scopes": sorted(self.scopes),
            "created_at": self.created_at.isoformat(),
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def parse_scopes(scopes: Iterable[str]) -> frozenset[Permission]:
    found: set[Permission] = set()
    for scope in scopes:
        try:
            found.add(Permission(scope))
        except ValueError:
            known = ", ".join(p.value for p in Permission)
            raise InputError(f"unknown scope {scope!r}; use some of {known}", "scopes") from None
    if not found:
        raise InputError("a token needs at least one scope", "scopes")
    return frozenset(found)


def create_token(
    conn: sa.Connection,
    user_id: int,
    name: str,
    scopes: Iterable[str],
    *,
    now: datetime | None = None,
) -> tuple[str, ApiToken]:
    """A new token; returns the raw token (shown once, not stored) and its record."""
    if not name.strip() or len(name) > 128:
        raise InputError("a token needs a name of 1-128 characters", "name")
    granted = parse_scopes(scopes)
    raw = PREFIX + secrets.token_urlsafe(32)
    tokens = schema.api_tokens
    token_id = conn.execute(
        sa.insert(tokens).returning(tokens.c.id),
        {"user_id": user_id, "name": name.strip(), "token_hash": token_hash(raw),
         "scopes": orjson.dumps(sorted(granted)).decode(), "created_at": now or utcnow()},
    ).scalar_one()  # fmt: skip
    return raw, get_token(conn, int(token_id))


def lookup_token(conn: sa.Connection, raw: str) -> ApiToken | None:
    """The live token with this value, or None (unknown, malformed or revoked)."""
    if not raw.startswith(PREFIX):
        return None
    tokens = schema.api_tokens
    row = conn.execute(
        sa.select(tokens).where(
            tokens.c.token_hash == token_hash(raw), tokens.c.revoked_at.is_(None)
        )
    ).first()
    return _token(row._mapping) if row is not None else None


def get_token(conn: sa.Connection, token_id: int, *, user_id: int | None = None) -> ApiToken:
    tokens = schema.api_tokens
    query = sa.select(tokens).where(tokens.c.id == token_id)
    if user_id is not None:
        query = query.where(tokens.c.user_id == user_id)
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"no token with id {token_id}")
    return _token(row._mapping)


def list_tokens(conn: sa.Connection, user_id: int) -> list[ApiToken]:
    tokens = schema.api_tokens
    rows = conn.execute(
        sa.select(tokens).where(tokens.c.user_id == user_id).order_by(tokens.c.id)
    ).all()
    return [_token(r._mapping) for r in rows]


def touch_token(conn: sa.Connection, token_id: int, *, now: datetime | None = None) -> None:
    tokens = schema.api_tokens
    conn.execute(
        sa.update(tokens).where(tokens.c.id == token_id).values(last_used_at=now or utcnow())
    )


def revoke_token(
    conn: sa.Connection, token_id: int, *, user_id: int, now: datetime | None = None
) -> tuple[ApiToken, ApiToken]:
    """Revoke one of the user's own tokens; returns it before and after. Another user's token
    is not found, so ids do not reveal who owns what."""
    before = get_token(conn, token_id, user_id=user_id)
    if before.revoked_at is None:
        tokens = schema.api_tokens
        conn.execute(
            sa.update(tokens).where(tokens.c.id == token_id).values(revoked_at=now or utcnow())
        )
    return before, get_token(conn, token_id)


def _token(row: Any) -> ApiToken:
    return ApiToken(
        id=int(row["id"]),
        user_id=int(row["user_id"]),
        name=str(row["name"]),
        # A scope that no longer exists grants nothing rather than breaking the token.
        scopes=frozenset(Permission(s) for s in orjson.loads(row["scopes"]) if s in _KNOWN),
        created_at=as_utc(row["created_at"]),
        last_used_at=as_utc_or_none(row["last_used_at"]),
        revoked_at=as_utc_or_none(row["revoked_at"]),
    )
