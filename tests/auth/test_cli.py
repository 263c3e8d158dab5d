"""`rapport users create`: the password from standard input, never from an argument."""

from __future__ import annotations

from typer.testing import CliRunner

from rapport.auth import passwords
from rapport.cli_accounts import users_app
from rapport.store import Database
from rapport.store.users import credentials
from tests.auth.conftest import PASSWORD


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
