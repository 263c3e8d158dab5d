"""Browser sessions. The cookie holds a random 32-byte secret; the database holds only its
sha256, so reading the table does not let anyone in. Each session has its own CSRF token.

A session ends when revoked, when idle for IDLE_TIMEOUT, or ABSOLUTE_TIMEOUT after login,
whichever comes first.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from rapport.records.accounts import Session

IDLE_TIMEOUT = timedelta(hours=12)
ABSOLUTE_TIMEOUT = timedelta(days=7)
# Recording every request's time would put a write on every read; a minute is precise enough
# for a 12-hour idle limit.
TOUCH_AFTER = timedelta(minutes=1)


def session_id(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_session(
    user_id: int, now: datetime, *, lifetime: timedelta = ABSOLUTE_TIMEOUT
) -> tuple[str, Session]:
    """A new session for the user: the secret for the cookie (never stored) and the record."""
    secret = secrets.token_urlsafe(32)
    session = Session(
        id=session_id(secret),
        user_id=user_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + lifetime,
        last_seen_at=now,
    )
    return secret, session


def is_live(session: Session, now: datetime, *, idle: timedelta = IDLE_TIMEOUT) -> bool:
    return now < session.expires_at and now - session.last_seen_at < idle


def needs_touch(last_seen_at: datetime | None, now: datetime) -> bool:
    """Whether to record a use now (never used counts as long ago)."""
    return last_seen_at is None or now - last_seen_at >= TOUCH_AFTER
