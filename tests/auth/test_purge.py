"""Sessions that can never open again are deleted on a schedule, by the web app's own thread."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rapport.actions.base import Context
from rapport.actions.session_purge import SessionPurge
from rapport.auth.sessions import new_session
from rapport.records.accounts import Session
from rapport.store import Database, schema, sessions
from tests.auth.conftest import START, MakeUser


def stored_ids(database: Database) -> set[str]:
    with database.reading() as conn:
        return set(conn.execute(sa.select(schema.sessions.c.id)).scalars())


def add_session(database: Database, user_id: int, at: datetime) -> Session:
    _, session = new_session(user_id, at)
    database.write(lambda conn: sessions.insert_session(conn, session))
    return session


def test_a_pass_deletes_expired_and_revoked_sessions_and_keeps_live_ones(
    database: Database, make_user: MakeUser
) -> None:
    ana = make_user("ana@example.com")
    add_session(database, ana.id, START - timedelta(days=8))  # past its seven days
    revoked = add_session(database, ana.id, START)
    live = add_session(database, ana.id, START - timedelta(days=6))
    database.write(lambda conn: sessions.revoke_session(conn, revoked.id))

    purge = SessionPurge(Context(database, clock=lambda: START))

    assert purge.run_once() == 2
    assert stored_ids(database) == {live.id}
    assert purge.run_once() == 0


def test_the_web_app_purges_while_it_runs(
    app: FastAPI, database: Database, make_user: MakeUser
) -> None:
    ana = make_user("ana@example.com")
    now = datetime.now(UTC)
    expired = add_session(database, ana.id, now - timedelta(days=8))
    live = add_session(database, ana.id, now)
    assert stored_ids(database) == {expired.id, live.id}

    with TestClient(app):
        deadline = time.monotonic() + 10
        while expired.id in stored_ids(database) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stored_ids(database) == {live.id}
