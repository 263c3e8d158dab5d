"""Failed logins, as rows so that throttling survives a restart. A key is one e-mail from one
address ("pair:<hash>") or one address ("ip:<address>"); `rapport.auth.throttle` decides
what counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import sqlalchemy as sa

from rapport.store import schema
from rapport.store.rows import as_utc


def recent_failures(
    conn: sa.Connection, limits: Mapping[str, int], since: datetime
) -> dict[str, list[datetime]]:
    """For each key, its newest failures after `since`, newest first, at most its limit."""
    attempts = schema.login_attempts
    found: dict[str, list[datetime]] = {}
    for key, limit in limits.items():
        times = conn.execute(
            sa.select(attempts.c.at)
            .where(attempts.c.key == key, attempts.c.at > since)
            .order_by(attempts.c.at.desc())
            .limit(limit)
        ).scalars()
        found[key] = [t for t in (as_utc(at) for at in times) if t is not None]
    return found


def record_failures(
    conn: sa.Connection, keys: Sequence[str], at: datetime, *, forget_before: datetime
) -> None:
    attempts = schema.login_attempts
    # Old rows count for nothing; dropping them here keeps the table the size of one window.
    conn.execute(sa.delete(attempts).where(attempts.c.at < forget_before))
    conn.execute(sa.insert(attempts), [{"key": k, "at": at} for k in keys])


def clear_failures(conn: sa.Connection, key: str) -> None:
    attempts = schema.login_attempts
    conn.execute(sa.delete(attempts).where(attempts.c.key == key))
