"""Time for the auth modules: now, and datetimes read back from either database as UTC.

Every function that judges expiry takes `now` as a parameter, so tests move time instead of
waiting for it.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite gives back naive datetimes (stored as UTC); PostgreSQL gives aware ones."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def as_utc_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)
