"""`rapport users create` and `set-password`: the password from standard input, never
from an argument."""

from __future__ import annotations

from typer.testing import CliRunner

from rapport.auth import passwords
from rapport.auth.sessions import new_session
from rapport.cli_accounts import users_app
from rapport.store import Database, audit, sessions
from rapport.store.users import credentials
from tests.auth.conftest import PASSWORD, START, MakeUser


def test_create_reads_the_password_from_stdin_and_audits(
    database_url: str, database: Database
) -> None:
    runner = CliRunner()
    args = ["create", "Root@Example.com", "--name", "Root", "--role", "admin", "--team", "billing",
            "--team", "tech", "--password-stdin", "--database-url", database_url]  # fmt: skip
    result = runner.invoke(users_app, args, input=PASSWORD + "\n")
    again = runner.invoke(users_app, args, input=PASSWORD + "\n")
    listed = runner.invoke(users_app, ["list", "--database-url", database_url])

    assert result.exit_code == 0, result.output
    assert "created user" in result.output
    assert again.exit_code == 1
    assert "already has an account" in again.output
    assert "root@example.com\tadmin\tbilling,tech\tactive" in listed.output
    with database.reading() as conn:
        [found] = credentials(conn, "root@example.com")
    user, password_hash = found.user, found.password_hash
    assert user.teams == ("billing", "tech")
    assert password_hash is not None
    assert passwords.verify_password(password_hash, PASSWORD)


def test_set_password_reads_stdin_ends_the_sessions_and_audits(
    database_url: str, database: Database, make_user: MakeUser
) -> None:
    ana = make_user("ana@example.com")
    _, session = new_session(ana.id, START)
    database.write(lambda conn: sessions.insert_session(conn, session))
    runner = CliRunner()
    fresh = "a brand new passphrase"
    args = ["set-password", "ANA@example.com", "--database-url", database_url]

    result = runner.invoke(users_app, args, input=fresh + "\n")
    unknown = runner.invoke(users_app, ["set-password", "bo@example.com", "--database-url",
                                        database_url], input=fresh + "\n")  # fmt: skip

    assert result.exit_code == 0, result.output
    assert unknown.exit_code == 1
    assert "no active user 'bo@example.com'" in unknown.output
    with database.reading() as conn:
        [found] = credentials(conn, "ana@example.com")
        assert sessions.find_session(conn, session.id) is None
        [entry] = audit.list_entries(conn, "default", action="user.update")
    assert passwords.verify_password(found.password_hash, fresh)
    assert (entry.subject, entry.after) == (
        f"user:{ana.id}", {"password": "changed", "via": "cli"},
    )  # fmt: skip
