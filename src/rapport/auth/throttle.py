"""Login throttling: after MAX_PER_EMAIL failed logins for an email, or MAX_PER_IP from an
address, within WINDOW, further attempts are refused until the oldest failure that counts
leaves the window. Failures are rows in `login_attempts`, so a restart forgets nothing.

Refused attempts are not recorded, so an attacker cannot extend a lockout forever; a
successful login clears its email's failures, not its address's.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa

from rapport.auth.clock import as_utc, utcnow
from rapport.store import schema

MAX_PER_EMAIL = 5
MAX_PER_IP = 20
WINDOW = timedelta(minutes=15)


def email_key(email: str) -> str:
    return "email:" + email.strip().lower()


def ip_key(ip: str) -> str:
    return "ip:" + ip


def seconds_to_wait(
    conn: sa.Connection, email: str, ip: str | None, *, now: datetime | None = None
) -> int:
    """0 when a login may be tried now, otherwise the whole seconds until one may."""
    at = now or utcnow()
    waits = [_wait(conn, email_key(email), MAX_PER_EMAIL, at)]
    if ip:
        waits.append(_wait(conn, ip_key(ip), MAX_PER_IP, at))
    return max(waits)


def record_failure(
    conn: sa.Connection, email: str, ip: str | None, *, now: datetime | None = None
) -> None:
    at = now or utcnow()
    attempts = schema.login_attempts
    keys = [email_key(email)] + ([ip_key(ip)] if ip else [])
    # Old rows count for nothing; dropping them here keeps the table the size of one window.
    conn.execute(sa.delete(attempts).where(attempts.c.at < at - WINDOW))
    conn.execute(sa.insert(attempts), [{"key": k, "at": at} for k in keys])


def clear(conn: sa.Connection, email: str) -> None:
    attempts = schema.login_attempts
    conn.execute(sa.delete(attempts).where(attempts.c.key == email_key(email)))


def _wait(conn: sa.Connection, key: str, limit: int, now: datetime) -> int:
    attempts = schema.login_attempts
    times = [
        as_utc(t)
        for t in conn.execute(
            sa.select(attempts.c.at)
            .where(attempts.c.key == key, attempts.c.at > now - WINDOW)
            .order_by(attempts.c.at.desc())
            .limit(limit)
        ).scalars()
    ]
    if len(times) < limit:
        return 0
    # Newest first: when the limit-th newest failure leaves the window, one fewer counts.
    free_at = times[limit - 1] + WINDOW
    return max(1, math.ceil((free_at - now).total_seconds()))
