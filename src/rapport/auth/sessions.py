"""Browser sessions. The cookie holds a random 32-byte secret; the database holds only its
sha256, so reading the table does not let anyone in. Each session has its own CSRF token.

A session ends when revoked, when idle for IDLE_TIMEOUT, or ABSOLUTE_TIMEOUT after login,
whichever comes first.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from rapport.auth.clock import as_utc, utcnow
from rapport.store import schema

IDLE_TIMEOUT = timedelta(hours=12)
ABSOLUTE_TIMEOUT = timedelta(days=7)
# Recording every request's time would put a write on every read; a minute is precise enough
# for a 12-hour idle limit.
TOUCH_AFTER = timedelta(minutes=1)


@dataclass(frozen=True)
class Session:
    id: str
    user_id: int
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime

    def needs_touch(self, now: datetime) -> bool:
        return now - self.last_seen_at >= TOUCH_AFTER


def session_id(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_session(
    conn: sa.Connection,
    user_id: int,
    *,
    now: datetime | None = None,
    lifetime: timedelta = ABSOLUTE_TIMEOUT,
) -> tuple[str, Session]:
    """A new session for the user; returns the secret for the cookie (not stored) and the
    session."""
    at = now or utcnow()
    secret = secrets.token_urlsafe(32)
    session = Session(
        id=session_id(secret),
        user_id=user_id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=at,
        expires_at=at + lifetime,
        last_seen_at=at,
    )
    conn.execute(
        sa.insert(schema.sessions),
        {"id": session.id, "user_id": user_id, "csrf_token": session.csrf_token,
         "created_at": at, "expires_at": session.expires_at, "last_seen_at": at,
         "revoked": False},
    )  # fmt: skip
    return secret, session


def lookup_session(
    conn: sa.Connection,
    secret: str,
    *,
    now: datetime | None = None,
    idle: timedelta = IDLE_TIMEOUT,
) -> Session | None:
    """The live session this secret opens, or None (unknown, revoked, idle or expired)."""
    at = now or utcnow()
    sessions = schema.sessions
    row = conn.execute(
        sa.select(sessions).where(sessions.c.id == session_id(secret), sa.not_(sessions.c.revoked))
    ).first()
    if row is None:
        return None
    session = Session(
        id=str(row.id),
        user_id=int(row.user_id),
        csrf_token=str(row.csrf_token),
        created_at=as_utc(row.created_at),
        expires_at=as_utc(row.expires_at),
        last_seen_at=as_utc(row.last_seen_at),
    )
    if at >= session.expires_at or at - session.last_seen_at >= idle:
        return None
    return session


def touch_session(conn: sa.Connection, sid: str, *, now: datetime | None = None) -> None:
    sessions = schema.sessions
    conn.execute(
        sa.update(sessions).where(sessions.c.id == sid).values(last_seen_at=now or utcnow())
    )


def revoke_session(conn: sa.Connection, sid: str) -> bool:
    """End one session (by its id, the hash); returns whether a live one was ended."""
    sessions = schema.sessions
    done = conn.execute(
        sa.update(sessions)
        .where(sessions.c.id == sid, sa.not_(sessions.c.revoked))
        .values(revoked=True)
    )
    return done.rowcount > 0


def revoke_user_sessions(conn: sa.Connection, user_id: int) -> int:
    """End every session of a user (deactivated, or a new password); returns how many."""
    sessions = schema.sessions
    done = conn.execute(
        sa.update(sessions)
        .where(sessions.c.user_id == user_id, sa.not_(sessions.c.revoked))
        .values(revoked=True)
    )
    return int(done.rowcount)


def purge_expired(conn: sa.Connection, *, now: datetime | None = None) -> int:
    """Delete sessions past their absolute end or revoked; they can never open again."""
    sessions = schema.sessions
    done = conn.execute(
        sa.delete(sessions).where(
            sa.or_(sessions.c.expires_at <= (now or utcnow()), sessions.c.revoked)
        )
    )
    return int(done.rowcount)
