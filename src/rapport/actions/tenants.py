"""Creating tenants, changing them, and saving their configuration."""

from __future__ import annotations

import re

from rapport.actions.base import Actor, Change, Context, apply
from rapport.errors import InputError
from rapport.records.tenants import TENANT_KINDS, ConfigVersion, Tenant, TenantKind
from rapport.store import tenants as store
from rapport.tenancy import config

_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


def create_tenant(
    context: Context, actor: Actor, tenant_id: str, name: str, kind: str = "brand"
) -> Tenant:
    if not _ID.match(tenant_id):
        raise InputError(
            "must be 1-64 lower-case letters, digits, '_', '-' or '.', starting with a letter "
            "or digit", f"tenant id {tenant_id!r}",
        )  # fmt: skip
    checked_name = _name(name)
    checked_kind = _kind(kind)

    def job(change: Change) -> Tenant:
        tenant = store.create(change.conn, tenant_id, checked_name, checked_kind, change.now)
        change.audit("tenant.create", f"tenant:{tenant_id}", None,
                     {"name": checked_name, "kind": checked_kind})  # fmt: skip
        change.publish("tenant", id=tenant_id, change="created")
        return tenant

    return apply(context, actor, job)


def update_tenant(
    context: Context, actor: Actor, tenant_id: str, *, name: str | None = None,
    kind: str | None = None, active: bool | None = None,
) -> Tenant:  # fmt: skip
    new_name = None if name is None else _name(name)
    new_kind = None if kind is None else _kind(kind)

    def job(change: Change) -> Tenant:
        before = store.get(change.conn, tenant_id)
        after = store.update(change.conn, tenant_id, name=new_name, kind=new_kind, active=active)
        change.audit("tenant.update", f"tenant:{tenant_id}",
                     {"name": before.name, "kind": before.kind, "active": before.active},
                     {"name": after.name, "kind": after.kind, "active": after.active})  # fmt: skip
        change.publish("tenant", id=tenant_id, change="updated")
        return after

    return apply(context, actor, job)


def put_config(
    context: Context, actor: Actor, tenant_id: str, kind: str, body: str, author: str
) -> ConfigVersion:
    """Check and save a new version of one kind of the tenant's configuration. Every process
    applies it within a few seconds (`rapport.tenancy.live`)."""
    checked = config.check_kind(kind)
    config.parse(tenant_id, checked, body)

    def job(change: Change) -> ConfigVersion:
        store.get(change.conn, tenant_id)
        version = store.save_config(change.conn, tenant_id, checked, body, author, change.now)
        change.audit(f"tenant.config.{checked}", f"tenant:{tenant_id}", None,
                     {"version": version.id})  # fmt: skip
        change.publish("config", part=checked, version=version.id)
        return version

    return apply(context, actor, job)


def _name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 200:
        raise InputError("must be 1-200 characters", "tenant name")
    return cleaned


def _kind(kind: str) -> TenantKind:
    for known in TENANT_KINDS:
        if kind == known:
            return known
    raise InputError(f"must be one of {', '.join(TENANT_KINDS)}", f"tenant kind {kind!r}")
