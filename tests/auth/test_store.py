"""Accounts in the database, on both backends: users and teams, sessions with their
timeouts, tokens hashed at rest, throttling that survives a restart, the audit log."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
import sqlalchemy as sa

from rapport.auth import sessions, throttle, tokens
from rapport.auth.roles import Permission
from rapport.auth.users import EmailTaken, create_user, get_user, list_users, update_user
from rapport.errors import InputError, NotFound
from rapport.store import Database, audit, schema
from tests.auth.conftest import START, MakeUser


def test_users_keep_their_teams_and_emails_are_unique_per_tenant(
    database: Database, make_user: MakeUser
) -> None:
    ana = make_user(" Ana@Example.com ", "agent", teams=["billing", "tech"], languages=["en", "es"])
    make_user("ana@example.com", "admin", tenant="acme")

    assert (ana.email, ana.teams, ana.languages, ana.capacity) == (
        "ana@example.com", ("billing", "tech"), ("en", "es"), 5,
    )  # fmt: skip
    with pytest.raises(EmailTaken, match="already has an account"):
        make_user("ANA@example.com")
    with database.reading() as conn:
        assert [u.email for u in list_users(conn, "default")] == ["ana@example.com"]
        with pytest.raises(NotFound):
            get_user(conn, ana.id, tenant="acme")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-email"}, "not an email address"),
        ({"role": "root"}, "unknown role 'root'"),
        ({"teams": ["bad team"]}, "team 'bad team'"),
        ({"capacity": -1}, "capacity -1"),
    ],
)
def test_bad_user_fields_are_refused_with_the_fix(
    database: Database, fields: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {"email": "bo@example.com", "role": "agent", **fields}
    with pytest.raises(InputError, match=message):
        database.write(lambda conn: create_user(conn, **values))  # type: ignore[arg-type]


def test_updates_return_before_and_after(database: Database, make_user: MakeUser) -> None:
    ana = make_user("ana@example.com", teams=["billing"])
    before, after = database.write(
        lambda conn: update_user(conn, ana.id, {"role": "supervisor", "teams": ["tech"]})
    )
    assert (before.role, before.teams) == ("agent", ("billing",))
    assert (after.role, after.teams) == ("supervisor", ("tech",))


def test_sessions_store_only_the_hash_and_end_when_idle_or_old(
    database: Database, make_user: MakeUser
) -> None:
    ana = make_user("ana@example.com")
    secret, session = database.write(lambda conn: sessions.create_session(conn, ana.id, now=START))
    with database.reading() as conn:
        stored = conn.execute(sa.select(schema.sessions.c.id)).scalar_one()
        found = sessions.lookup_session(conn, secret, now=START + timedelta(hours=11))
        idle = sessions.lookup_session(conn, secret, now=START + timedelta(hours=12))
    assert stored == session.id == sessions.session_id(secret) != secret
    assert found == session
    assert idle is None

    # Seen every 11 hours, a session lives out its seven days and not a second more.
    at = START
    while at + timedelta(hours=11) < START + timedelta(days=7):
        at += timedelta(hours=11)
        database.write(partial(sessions.touch_session, sid=session.id, now=at))
        with database.reading() as conn:
            assert sessions.lookup_session(conn, secret, now=at) is not None
    with database.reading() as conn:
        assert sessions.lookup_session(conn, secret, now=START + timedelta(days=7)) is None


def test_revoked_sessions_stop_working(database: Database, make_user: MakeUser) -> None:
    ana = make_user("ana@example.com")
    one, first = database.write(lambda conn: sessions.create_session(conn, ana.id, now=START))
    two, _ = database.write(lambda conn: sessions.create_session(conn, ana.id, now=START))

    assert database.write(lambda conn: sessions.revoke_session(conn, first.id))
    with database.reading() as conn:
        assert sessions.lookup_session(conn, one, now=START) is None
        assert sessions.lookup_session(conn, two, now=START) is not None
    assert database.write(lambda conn: sessions.revoke_user_sessions(conn, ana.id)) == 1
    with database.reading() as conn:
        assert sessions.lookup_session(conn, two, now=START) is None
        assert sessions.lookup_session(conn, "made-up", now=START) is None
    assert database.write(lambda conn: sessions.purge_expired(conn, now=START)) == 2


def test_tokens_are_hashed_at_rest_scoped_and_revocable(
    database: Database, make_user: MakeUser
) -> None:
    ana = make_user("ana@example.com")
    raw, token = database.write(
        lambda conn: tokens.create_token(conn, ana.id, "export", ["posts:read"], now=START)
    )
    with database.reading() as conn:
        stored = [tuple(r) for r in conn.execute(sa.select(schema.api_tokens))]
        found = tokens.lookup_token(conn, raw)
        assert tokens.lookup_token(conn, raw + "x") is None
        assert tokens.lookup_token(conn, "abc") is None

    assert raw.startswith("rpt_")
    assert len(raw) == 4 + 43
    assert not any(raw in str(value) for row in stored for value in row)
    assert found == token
    assert token.allows(Permission.READ_POSTS)
    assert not token.allows(Permission.ACT_ON_CASES)

    with pytest.raises(NotFound):
        database.write(lambda conn: tokens.revoke_token(conn, token.id, user_id=ana.id + 1))
    before, after = database.write(
        lambda conn: tokens.revoke_token(conn, token.id, user_id=ana.id, now=START)
    )
    assert (before.revoked_at, after.revoked_at) == (None, START)
    with database.reading() as conn:
        assert tokens.lookup_token(conn, raw) is None


@pytest.mark.parametrize(
    ("scopes", "message"), [([], "at least one scope"), (["posts:write"], "unknown scope")]
)
def test_bad_scopes_are_refused(
    database: Database, make_user: MakeUser, scopes: list[str], message: str
) -> None:
    ana = make_user("ana@example.com")
    with pytest.raises(InputError, match=message):
        database.write(lambda conn: tokens.create_token(conn, ana.id, "x", scopes))


def test_throttling_counts_failures_per_email_and_ip_within_the_window(
    database_url: str, database: Database
) -> None:
    def fail(email: str, ip: str, minutes: float) -> None:
        at = START + timedelta(minutes=minutes)
        database.write(lambda conn: throttle.record_failure(conn, email, ip, now=at))

    def wait(email: str, ip: str, minutes: float) -> int:
        with database.reading() as conn:
            return throttle.seconds_to_wait(conn, email, ip, now=START + timedelta(minutes=minutes))

    for minute in range(4):
        fail("ana@example.com", "10.0.0.1", minute)
    assert wait("ana@example.com", "10.0.0.1", 4) == 0
    fail("ana@example.com", "10.0.0.1", 4)
    # The first failure (minute 0) leaves the window at minute 15: 11 minutes from minute 4.
    assert wait("ANA@example.com", "10.0.0.9", 4) == 11 * 60
    assert wait("bo@example.com", "10.0.0.9", 4) == 0
    assert wait("ana@example.com", "10.0.0.1", 15) == 0

    for n in range(15):
        fail(f"user{n}@example.com", "10.0.0.1", 5)
    # The ip's 20 failures: the oldest (minute 0) leaves the window at minute 15.
    assert wait("new@example.com", "10.0.0.1", 5) == 10 * 60
    assert wait("new@example.com", "10.0.0.2", 5) == 0

    # A restart forgets nothing: the failures are rows.
    database.close()
    again = Database(database_url)
    with again.reading() as conn:
        then = START + timedelta(minutes=5)
        assert throttle.seconds_to_wait(conn, "x@example.com", "10.0.0.1", now=then) == 10 * 60
    again.write(lambda conn: throttle.clear(conn, "ana@example.com"))
    with again.reading() as conn:
        then = START + timedelta(minutes=4)
        assert throttle.seconds_to_wait(conn, "ana@example.com", None, now=then) == 0
    again.close()


def test_audit_entries_keep_before_and_after_per_tenant(database: Database) -> None:
    def write(tenant: str, action: str) -> int:
        return database.write(
            lambda conn: audit.record(
                conn, tenant, 7, action, "user:7", {"role": "agent"}, {"role": "admin"}, "10.0.0.1"
            )
        )

    first, second = write("default", "user.update"), write("default", "login")
    write("acme", "login")
    with database.reading() as conn:
        entries = audit.list_entries(conn, "default")
        page = audit.list_entries(conn, "default", before_id=second)
        logins = audit.list_entries(conn, "default", action="login")

    assert [e["id"] for e in entries] == [second, first]
    assert [e["id"] for e in page] == [first]
    assert [e["id"] for e in logins] == [second]
    assert entries[1]["before"] == {"role": "agent"}
    assert entries[1]["after"] == {"role": "admin"}
    assert (entries[1]["user_id"], entries[1]["ip"]) == (7, "10.0.0.1")
