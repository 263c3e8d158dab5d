"""Now, for the auth modules. Every function that judges expiry takes `now` as a parameter, so
tests move time instead of waiting for it."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
