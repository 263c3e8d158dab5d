"""`rapport users ...`: create the first admin (and others) from the command line.

The password comes from standard input only, never from an argument, because arguments show
in the process list and the shell history.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rapport.auth.roles import ROLES
from rapport.errors import RapportError
from rapport.settings import Settings

if TYPE_CHECKING:  # the commands import the database layer when they run, so that
    # `rapport --help` does not pay for SQLAlchemy and Alembic
    from rapport.actions.base import Context
    from rapport.store import Database

users_app = typer.Typer(help="Care desk accounts.", no_args_is_help=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database-url", help="Database URL (default: SQLite in the data dir)."),
]
TenantOption = Annotated[str, typer.Option("--tenant", help="The tenant the user works for.")]


@contextmanager
def _database(database_url: str | None) -> Iterator[Database]:
    from rapport.store import Database

    overrides: dict[str, Any] = {"database_url": database_url} if database_url else {}
    database = Database(Settings.load(overrides).database_url)
    try:
        database.upgrade()
        yield database
    finally:
        database.close()


def _context(database: Database) -> Context:
    from rapport.actions.base import Context

    return Context(database)


def _read_password() -> str:
    line = sys.stdin.readline()
    return line.removesuffix("\n").removesuffix("\r")


def _fail(error: RapportError) -> typer.Exit:
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(1)


@users_app.command("create")
def create(
    email: Annotated[str, typer.Argument(help="The user's email; unique within the tenant.")],
    name: Annotated[str, typer.Option("--name", help="Display name.")] = "",
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(ROLES)}.")] = "agent",
    team: Annotated[list[str] | None, typer.Option("--team", help="A team; repeat.")] = None,
    language: Annotated[
        list[str] | None, typer.Option("--language", help="A language code; repeat.")
    ] = None,
    skill: Annotated[list[str] | None, typer.Option("--skill", help="A skill; repeat.")] = None,
    capacity: Annotated[int, typer.Option("--capacity", help="Open cases at once.")] = 5,
    tenant: TenantOption = "default",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Create a user. Without --password-stdin the user cannot log in until given one."""
    from rapport.actions.accounts import create_user
    from rapport.actions.base import Actor
    from rapport.auth import passwords
    from rapport.auth.users import new_user

    try:
        password_hash = passwords.hash_password(_read_password()) if password_stdin else None
        new = new_user(
            email=email,
            name=name,
            role=role,
            tenant=tenant,
            password_hash=password_hash,
            teams=team or [],
            languages=language or [],
            skills=skill or [],
            capacity=capacity,
        )
        with _database(database_url) as database:
            user = create_user(_context(database), Actor(tenant=tenant), new, via="cli")
    except RapportError as error:
        raise _fail(error) from error
    typer.echo(f"created user {user.id}: {user.email} ({user.role}) in tenant {user.tenant}")


@users_app.command("set-password")
def set_password(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    tenant: TenantOption = "default",
    database_url: DatabaseOption = None,
) -> None:
    """Set a user's password from standard input; ends their sessions."""
    from rapport.actions import accounts
    from rapport.actions.base import Actor
    from rapport.auth import passwords

    try:
        password_hash = passwords.hash_password(_read_password())
        with _database(database_url) as database:
            user = accounts.set_password(
                _context(database), Actor(tenant=tenant), email, password_hash, via="cli"
            )
    except RapportError as error:
        raise _fail(error) from error
    typer.echo(f"password set for {user.email}")


@users_app.command("list")
def list_command(tenant: TenantOption = "default", database_url: DatabaseOption = None) -> None:
    """The tenant's users: id, email, role, teams, active."""
    from rapport.store.users import list_users

    with _database(database_url) as database, database.reading() as conn:
        for user in list_users(conn, tenant, limit=10_000):
            state = "active" if user.active else "inactive"
            teams = ",".join(user.teams) or "-"
            typer.echo(f"{user.id}\t{user.email}\t{user.role}\t{teams}\t{state}")
