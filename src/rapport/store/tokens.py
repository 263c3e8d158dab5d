"""Scoped API tokens, stored as the sha256 of their value (shown once, when created)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa

from rapport.errors import NotFound
from rapport.records.accounts import ApiToken, NewApiToken
from rapport.store import schema
from rapport.store.rows import as_utc


def insert_token(conn: sa.Connection, new: NewApiToken) -> ApiToken:
    tokens = schema.api_tokens
    token_id = conn.execute(
        sa.insert(tokens).returning(tokens.c.id),
        {"user_id": new.user_id, "name": new.name, "token_hash": new.token_hash,
         "scopes": orjson.dumps(sorted(new.scopes)).decode(), "created_at": new.created_at},
    ).scalar_one()  # fmt: skip
    return get_token(conn, int(token_id))


def find_live_token(conn: sa.Connection, token_hash: str) -> ApiToken | None:
    """The unrevoked token with this hash, or None."""
    tokens = schema.api_tokens
    row = conn.execute(
        sa.select(tokens).where(tokens.c.token_hash == token_hash, tokens.c.revoked_at.is_(None))
    ).first()
    return _token(row._mapping) if row is not None else None


def get_token(conn: sa.Connection, token_id: int, *, user_id: int | None = None) -> ApiToken:
    """The token, or NotFound; with `user_id`, another user's token is not found either, so
    ids do not reveal who owns what."""
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


def touch_token(conn: sa.Connection, token_id: int, at: datetime) -> None:
    tokens = schema.api_tokens
    conn.execute(sa.update(tokens).where(tokens.c.id == token_id).values(last_used_at=at))


def revoke_token(conn: sa.Connection, token: ApiToken, at: datetime) -> ApiToken:
    """Revoke the token unless it already is; returns it after."""
    if token.revoked_at is None:
        tokens = schema.api_tokens
        conn.execute(sa.update(tokens).where(tokens.c.id == token.id).values(revoked_at=at))
    return get_token(conn, token.id)


def _token(row: Any) -> ApiToken:
    created_at = as_utc(row["created_at"])
    assert created_at is not None  # NOT NULL
    return ApiToken(
        id=int(row["id"]),
        user_id=int(row["user_id"]),
        name=str(row["name"]),
        scopes=tuple(sorted(orjson.loads(row["scopes"]))),
        created_at=created_at,
        last_used_at=as_utc(row["last_used_at"]),
        revoked_at=as_utc(row["revoked_at"]),
    )
