"""`rapport tenants`: the brands, agencies and merchants sharing this install."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from rapport.actions import tenants as actions
from rapport.actions.base import Actor, Context
from rapport.errors import RapportError
from rapport.records.tenants import CONFIG_KINDS
from rapport.settings import Settings
from rapport.store import Database
from rapport.store import tenants as store
from rapport.tenancy import OPERATOR

tenants_app = typer.Typer(help="Tenants: brands, agencies and merchants.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)

DatabaseOption = Annotated[
    str | None, typer.Option("--database-url", "--database", help="Database URL.")
]
# Changes made from the command line are audited as the operator's, by nobody in particular.
_CLI = Actor(OPERATOR, user_id=None, ip=None)


@contextmanager
def _context(database_url: str | None) -> Iterator[Context]:
    settings = Settings.load({"database_url": database_url} if database_url else {})
    database = Database(settings.database_url)
    try:
        database.upgrade()
        yield Context(database)
    except RapportError as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(1) from None
    finally:
        database.close()


@tenants_app.command("list")
def list_tenants(database_url: DatabaseOption = None) -> None:
    """Every tenant, with the configuration it has saved."""
    with _context(database_url) as context, context.database.reading() as conn:
        found = store.list_all(conn)
        configured: dict[str, list[str]] = {}
        for version in store.current_configs(conn):
            configured.setdefault(version.tenant, []).append(version.kind)
    table = Table("id", "name", "kind", "active", "configured")
    for tenant in found:
        table.add_row(tenant.id, tenant.name, tenant.kind, "yes" if tenant.active else "no",
                      ", ".join(configured.get(tenant.id, [])) or "-")  # fmt: skip
    out.print(table)


@tenants_app.command("create")
def create(
    tenant_id: Annotated[str, typer.Argument(help="Lower-case letters, digits, '_', '-', '.'.")],
    name: Annotated[str, typer.Option("--name", help="Display name.")],
    kind: Annotated[str, typer.Option("--kind", help="brand, agency or merchant.")] = "brand",
    database_url: DatabaseOption = None,
) -> None:
    """Create a tenant."""
    with _context(database_url) as context:
        tenant = actions.create_tenant(context, _CLI, tenant_id, name, kind)
    out.print(f"created tenant {tenant.id} ({tenant.kind})")


@tenants_app.command("disable")
def disable(tenant_id: str, database_url: DatabaseOption = None) -> None:
    """Stop routing posts to a tenant; its data stays."""
    with _context(database_url) as context:
        actions.update_tenant(context, _CLI, tenant_id, active=False)
    out.print(f"disabled tenant {tenant_id}")


@tenants_app.command("config")
def put_config(
    tenant_id: str,
    kind: Annotated[str, typer.Argument(help=f"One of {', '.join(CONFIG_KINDS)}.")],
    source: Annotated[Path, typer.Argument(help="A YAML file; '-' reads standard input.")],
    database_url: DatabaseOption = None,
) -> None:
    """Save a new version of one kind of a tenant's configuration from a file."""
    body = sys.stdin.read() if str(source) == "-" else source.read_text(encoding="utf-8")
    with _context(database_url) as context:
        version = actions.put_config(context, _CLI, tenant_id, kind, body, "cli")
    out.print(f"saved {kind} version {version.id} for tenant {tenant_id}")
