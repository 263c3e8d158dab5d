"""Tenants and the versions of their configuration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from rapport.errors import Conflict, NotFound
from rapport.records.tenants import (
    ConfigKind,
    ConfigVersion,
    TenancySnapshot,
    Tenant,
    TenantKind,
)
from rapport.store import schema
from rapport.store.rows import as_utc
from rapport.store.rule_versions import latest_versions


def create(
    conn: sa.Connection, tenant_id: str, name: str, kind: TenantKind, now: datetime
) -> Tenant:
    if find(conn, tenant_id) is not None:
        raise Conflict(f"tenant {tenant_id!r} exists already")
    conn.execute(
        sa.insert(schema.tenants),
        {"id": tenant_id, "name": name, "kind": kind, "active": True, "created_at": now},
    )
    return get(conn, tenant_id)


def find(conn: sa.Connection, tenant_id: str) -> Tenant | None:
    row = conn.execute(sa.select(schema.tenants).where(schema.tenants.c.id == tenant_id)).first()
    return None if row is None else _tenant(row)


def get(conn: sa.Connection, tenant_id: str) -> Tenant:
    found = find(conn, tenant_id)
    if found is None:
        raise NotFound(f"no tenant {tenant_id!r}")
    return found


def list_all(conn: sa.Connection) -> list[Tenant]:
    return [_tenant(row) for row in conn.execute(sa.select(schema.tenants).order_by("id"))]


def update(
    conn: sa.Connection, tenant_id: str, *, name: str | None = None,
    kind: TenantKind | None = None, active: bool | None = None,
) -> Tenant:  # fmt: skip
    values: dict[str, Any] = {
        key: value for key, value in (("name", name), ("kind", kind), ("active", active))
        if value is not None
    }  # fmt: skip
    get(conn, tenant_id)
    if values:
        table = schema.tenants
        conn.execute(sa.update(table).where(table.c.id == tenant_id).values(**values))
    return get(conn, tenant_id)


def save_config(
    conn: sa.Connection, tenant_id: str, kind: ConfigKind, body: str, author: str, now: datetime
) -> ConfigVersion:
    table = schema.tenant_config
    new_id = conn.execute(
        sa.insert(table).returning(table.c.id),
        {"tenant": tenant_id, "kind": kind, "body": body, "author": author[:128], "saved_at": now},
    ).scalar_one()
    return _version(conn.execute(sa.select(table).where(table.c.id == new_id)).one())


def current_configs(conn: sa.Connection, tenant_id: str | None = None) -> list[ConfigVersion]:
    """The version in force of each (tenant, kind): the newest saved."""
    table = schema.tenant_config
    newest = sa.select(sa.func.max(table.c.id)).group_by(table.c.tenant, table.c.kind)
    if tenant_id is not None:
        newest = newest.where(table.c.tenant == tenant_id)
    query = sa.select(table).where(table.c.id.in_(newest)).order_by(table.c.id)
    return [_version(row) for row in conn.execute(query)]


def config_history(
    conn: sa.Connection, tenant_id: str, kind: ConfigKind, limit: int = 50
) -> list[ConfigVersion]:
    table = schema.tenant_config
    query = (
        sa.select(table)
        .where(table.c.tenant == tenant_id, table.c.kind == kind)
        .order_by(table.c.id.desc())
        .limit(limit)
    )
    return [_version(row) for row in conn.execute(query)]


def snapshot(conn: sa.Connection) -> TenancySnapshot:
    """The active tenants with their configuration and rules in force. The generation is
    read first: whatever is saved meanwhile makes the next look see a newer one."""
    active = tuple(t for t in list_all(conn) if t.active)
    names = {t.id for t in active}
    return TenancySnapshot(
        generation=generation(conn),
        tenants=active,
        configs=tuple(c for c in current_configs(conn) if c.tenant in names),
        rules=tuple(r for r in latest_versions(conn) if r.tenant in names),
    )


def generation(conn: sa.Connection) -> int:
    """A number that grows whenever any tenant's configuration or rules are saved: a process
    that has applied generation G is current while this returns G."""
    config = conn.execute(sa.select(sa.func.max(schema.tenant_config.c.id))).scalar()
    rules = conn.execute(sa.select(sa.func.max(schema.rule_versions.c.version))).scalar()
    # Two counters in one: rule versions stay far below 2**32 in any real install.
    return (int(config or 0) << 32) | int(rules or 0)


def _tenant(row: Any) -> Tenant:
    created = as_utc(row.created_at)
    assert created is not None
    return Tenant(
        id=row.id, name=row.name, kind=row.kind, active=bool(row.active), created_at=created
    )


def _version(row: Any) -> ConfigVersion:
    saved = as_utc(row.saved_at)
    assert saved is not None
    return ConfigVersion(
        id=int(row.id), tenant=row.tenant, kind=row.kind, body=row.body, author=row.author,
        saved_at=saved,
    )  # fmt: skip
