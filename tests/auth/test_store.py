"""Accounts in the database, on both backends: users and teams, sessions with their
timeouts, tokens hashed at rest, throttling that survives a restart, the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from rapport.actions import accounts
from rapport.actions.base import Actor, Context
from rapport.auth import throttle
from rapport.auth.roles import Permission
from rapport.auth.sessions import is_live, new_session, session_id
from rapport.auth.tokens import looks_like_token, new_token, token_hash
from rapport.auth.users import new_user, user_change
from rapport.errors import InputError, NotFound
from rapport.records.accounts import ApiToken, Session
from rapport.store import Database, audit, schema, sessions, tokens
from rapport.store import throttle as failures
from rapport.store.users import EmailTaken, get_user, insert_user, list_users, update_user
from tests.auth.conftest import START, MakeUser


def lookup_session(database: Database, secret: str, now: datetime) -> Session | None:
    """What the web layer does with a cookie: find the session, then judge whether it lives."""
    with database.reading() as conn:
        session = sessions.find_session(conn, session_id(secret))
    return session if session is not None and is_live(session, now) else None


def lookup_token(database: Database, raw: str) -> ApiToken | None:
    if not looks_like_token(raw):
        return None
    with database.reading() as conn:
        return tokens.find_live_token(conn, token_hash(raw))


def create_session(database: Database, user_id: int) -> tuple[str, Session]:
    secret, session = new_session(user_id, START)
    database.write(lambda conn: sessions.insert_session(conn, session))
    return secret, session


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
        database.write(lambda conn: insert_user(conn, new_user(**values)))  # type: ignore[arg-type]


def test_updates_return_before_and_after(database: Database, make_user: MakeUser) -> None:
    ana = make_user("ana@example.com", teams=["billing"])
    change = user_change({"role": "supervisor", "teams": ["tech"]})
    after = database.write(lambda conn: update_user(conn, ana, change))
    with database.reading() as conn:
        assert get_user(conn, ana.id) == after
    assert (ana.role, ana.teams) == ("agent", ("billing",))
    assert (after.role, after.teams) == ("supervisor", ("tech",))


def test_sessions_store_only_the_hash_and_end_when_idle_or_old(
    database: Database, make_user: MakeUser
) -> None:
    ana = make_user("ana@example.com")
    secret, session = create_session(database, ana.id)
    with database.reading() as conn:
        stored = conn.execute(sa.select(schema.sessions.c.id)).scalar_one()
    found = lookup_session(database, secret, START + timedelta(hours=11))
    idle = lookup_session(database, secret, START + timedelta(hours=12))
    assert stored == session.id == session_id(secret) != secret
    assert found == session
    assert idle is None

    # Seen every 11 hours, a session lives out its seven days and not a second more.
    at = START
    while at + timedelta(hours=11) < START + timedelta(days=7):
        at += timedelta(hours=11)
        database.write(lambda conn: sessions.touch_session(conn, session.id, at))  # noqa: B023
        assert lookup_session(database, secret, at) is not None
    assert lookup_session(database, secret, START + timedelta(days=7)) is None


def test_revoked_sessions_stop_working(database: Database, make_user: MakeUser) -> None:
    ana = make_user("ana@example.com")
    one, first = create_session(database, ana.id)
    two, _ = create_session(database, ana.id)

    assert database.write(lambda conn: sessions.revoke_session(conn, first.id))
    assert lookup_session(database, one, START) is None
    assert lookup_session(database, two, START) is not None
    assert database.write(lambda conn: sessions.revoke_user_sessions(conn, ana.id)) == 1
    assert lookup_session(database, two, START) is None
    assert lookup_session(database, "made-up", START) is None
    assert database.write(lambda conn: sessions.purge_expired(conn, START)) == 2


def test_tokens_are_hashed_at_rest_scoped_and_revocable(
    database: Database, make_user: MakeUser
) -> None:
    ana = make_user("ana@example.com")
    context = Context(database, clock=lambda: START)
    raw, token = accounts.issue_token(
        context, Actor("default", user_id=ana.id), "export", ["posts:read"]
    )
    with database.reading() as conn:
        stored = [tuple(r) for r in conn.execute(sa.select(schema.api_tokens))]
    found = lookup_token(database, raw)
    assert lookup_token(database, raw + "x") is None
    assert lookup_token(database, "abc") is None

    assert raw.startswith("rpt_")
    assert len(raw) == 4 + 43
    assert not any(raw in str(value) for row in stored for value in row)
    assert found == token
    assert token.allows(Permission.READ_POSTS)
    assert not token.allows(Permission.ACT_ON_CASES)

    with pytest.raises(NotFound):
        accounts.revoke_token(context, Actor("default", user_id=ana.id + 1), token.id)
    after = accounts.revoke_token(context, Actor("default", user_id=ana.id), token.id)
    assert (token.revoked_at, after.revoked_at) == (None, START)
    assert lookup_token(database, raw) is None


@pytest.mark.parametrize(
    ("scopes", "message"), [([], "at least one scope"), (["posts:write"], "unknown scope")]
)
def test_bad_scopes_are_refused(scopes: list[str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        new_token(1, "x", scopes, START)


def test_throttling_counts_failures_per_email_and_address_and_per_address(
    database_url: str, database: Database
) -> None:
    def fail(email: str, ip: str, minutes: float) -> None:
        at = START + timedelta(minutes=minutes)
        context = Context(database, clock=lambda: at)
        accounts.record_failed_login(context, Actor("default", ip=ip), email)

    def wait_in(db: Database, email: str, ip: str | None, minutes: float) -> int:
        now = START + timedelta(minutes=minutes)
        limits = throttle.limits(email, ip)
        counted = {key: limit.count for key, limit in limits.items()}
        with db.reading() as conn:
            recent = failures.recent_failures(conn, counted, since=now - throttle.WINDOW)
        return throttle.seconds_to_wait(limits, recent, now)

    def wait(email: str, ip: str, minutes: float) -> int:
        return wait_in(database, email, ip, minutes)

    for minute in range(3):
        fail("ana@example.com", "10.0.0.1", minute)
    assert wait("ana@example.com", "10.0.0.1", 3) == 0  # three are free
    fail("ana@example.com", "10.0.0.1", 3)
    assert wait("ANA@example.com ", "10.0.0.1", 3) == 5
    assert wait("ana@example.com", "10.0.0.9", 3) == 0  # the owner elsewhere: no wait
    assert wait("bo@example.com", "10.0.0.1", 3) == 0
    fail("ana@example.com", "10.0.0.1", 4)
    assert wait("ana@example.com", "10.0.0.1", 4) == 10
    # The failures count for an hour: the first leaves at minute 60, and four remain.
    assert wait("ana@example.com", "10.0.0.1", 60.1) == 0
    fail("ana@example.com", "10.0.0.1", 60.1)
    assert wait("ana@example.com", "10.0.0.1", 60.1) == 10

    # One IPv6 host holds a /64: its addresses are one source.
    for n in range(4):
        fail("cy@example.com", f"2001:db8::{n + 1}", 5)
    assert wait("cy@example.com", "2001:db8::ffff", 5) == 5
    assert wait("cy@example.com", "2001:db8:0:1::1", 5) == 0

    for n in range(throttle.MAX_PER_IP):
        fail(f"user{n}@example.com", "10.0.0.2", 5 + n / 10)
    # The address's 20 failures: the oldest (minute 5) leaves the window at minute 20.
    assert wait("new@example.com", "10.0.0.2", 7) == 13 * 60
    assert wait("new@example.com", "10.0.0.3", 7) == 0

    # A restart forgets nothing: the failures are rows.
    database.close()
    again = Database(database_url)
    assert wait_in(again, "x@example.com", "10.0.0.2", 7) == 13 * 60
    pair = throttle.pair_key("ana@example.com", "10.0.0.1")
    again.write(lambda conn: failures.clear_failures(conn, pair))
    assert wait_in(again, "ana@example.com", "10.0.0.1", 60.1) == 0
    again.close()


def test_the_backoff_doubles_to_its_ceiling() -> None:
    waits = [throttle.backoff(n).total_seconds() for n in range(16)]
    assert waits[: throttle.FREE_PER_PAIR + 1] == [0] * (throttle.FREE_PER_PAIR + 1)
    assert waits[4:9] == [5, 10, 20, 40, 80]
    assert max(waits) == waits[-1] == throttle.MAX_WAIT.total_seconds()
    assert throttle.backoff(10**6) == throttle.MAX_WAIT


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

    assert [e.id for e in entries] == [second, first]
    assert [e.id for e in page] == [first]
    assert [e.id for e in logins] == [second]
    assert entries[1].before == {"role": "agent"}
    assert entries[1].after == {"role": "admin"}
    assert (entries[1].user_id, entries[1].ip) == (7, "10.0.0.1")
