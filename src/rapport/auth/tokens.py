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
from datetime import datetime

from rapport.auth.roles import Permission
from rapport.errors import InputError
from rapport.records.accounts import NewApiToken

PREFIX = "rpt_"


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def looks_like_token(raw: str) -> bool:
    """Whether `raw` could be one of ours; anything else is refused without a look-up."""
    return raw.startswith(PREFIX)


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


def new_token(
    user_id: int, name: str, scopes: Iterable[str], now: datetime
) -> tuple[str, NewApiToken]:
    """A fresh token: its value (to show once) and what to store of it."""
    if not name.strip() or len(name) > 128:
        raise InputError("a token needs a name of 1-128 characters", "name")
    granted = parse_scopes(scopes)
    raw = PREFIX + secrets.token_urlsafe(32)
    stored = NewApiToken(
        user_id=user_id,
        name=name.strip(),
        token_hash=token_hash(raw),
        scopes=tuple(sorted(p.value for p in granted)),
        created_at=now,
    )
    return raw, stored
