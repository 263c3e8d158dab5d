"""Browser sessions, stored by the sha256 of their secret so that a copy of the table logs
nobody in."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from rapport.records.accounts import Session
from rapport.store import schema
from rapport.store.rows import as_utc


def insert_session(conn: sa.Connection, session: Session) -> None:
    conn.execute(
        sa.insert(schema.sessions),
        {"id": session.id, "user_id": session.user_id, "csrf_token": session.csrf_token,
         "created_at": session.created_at, "expires_at": session.expires_at,
         "last_seen_at": session.last_seen_at, "revoked": False},
    )  # fmt: skip


def find_session(conn: sa.Connection, session_id: str) -> Session | None:
    """The session with this id unless revoked; whether it has expired is for the caller to
    judge (`rapport.auth.sessions.is_live`)."""
    sessions = schema.sessions
    row = conn.execute(
        sa.select(sessions).where(sessions.c.id == session_id, sa.not_(sessions.c.revoked))
    ).first()
    if row is None:
        return None
    return Session(
        id=str(row.id),
        user_id=int(row.user_id),
        csrf_token=str(row.csrf_token),
        created_at=_utc(row.created_at),
        expires_at=_utc(row.expires_at),
        last_seen_at=_utc(row.last_seen_at),
    )


def touch_session(conn: sa.Connection, session_id: str, at: datetime) -> None:
    sessions = schema.sessions
    conn.execute(sa.update(sessions).where(sessions.c.id == session_id).values(last_seen_at=at))


def revoke_session(conn: sa.Connection, session_id: str) -> bool:
    """End one session; returns whether a live one was ended."""
    sessions = schema.sessions
    done = conn.execute(
        sa.update(sessions)
        .where(sessions.c.id == session_id, sa.not_(sessions.c.revoked))
        .values(revoked=True)
    )
    return done.rowcount > 0


def revoke_user_sessions(conn: sa.Connection, user_id: int) -> int:
    """End every session of a user; returns how many."""
    sessions = schema.sessions
    done = conn.execute(
        sa.update(sessions)
        .where(sessions.c.user_id == user_id, sa.not_(sessions.c.revoked))
        .values(revoked=True)
    )
    return int(done.rowcount)


def purge_expired(conn: sa.Connection, now: datetime) -> int:
    """Delete sessions past their absolute end, or revoked: they can never open again."""
    sessions = schema.sessions
    done = conn.execute(
        sa.delete(sessions).where(sa.or_(sessions.c.expires_at <= now, sessions.c.revoked))
    )
    return int(done.rowcount)


def _utc(value: datetime) -> datetime:
    moment = as_utc(value)
    assert moment is not None  # every session time column is NOT NULL
    return moment
