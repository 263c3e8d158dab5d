"""/api/v1/tenants: the brands, agencies and merchants sharing this install, and each one's
configuration (listening queries, SLA book, team map, priority weights, own handles).

The operator's administrators (tenant `default`) create and change tenants and read them
all. Every other user sees only their own tenant; another tenant answers 404, like a
missing one. A tenant's configuration is read with `cases:read` and saved with
`rules:manage`, within one's own tenant (the operator's administrators may save any).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import Field

from rapport.actions import tenants as actions
from rapport.actions.base import Actor, Context
from rapport.auth.roles import Permission
from rapport.errors import Forbidden, NotFound
from rapport.records.tenants import CONFIG_KINDS, ConfigVersion, Tenant, TenantKind
from rapport.store import tenants as store
from rapport.tenancy import OPERATOR
from rapport.tenancy.config import MAX_BODY, check_kind
from rapport.web.errors import CONFLICT
from rapport.web.params import Body
from rapport.web.responses import JSON
from rapport.web.security import Principal, client_ip, clock, require

router = APIRouter(prefix="/api/v1", tags=["tenants"])

Reader = Annotated[Principal, Depends(require(Permission.READ_CASES))]
Manager = Annotated[Principal, Depends(require(Permission.MANAGE_RULES))]
TenantId = Annotated[str, Path(max_length=64)]
Kind = Annotated[str, Path(max_length=16, description=f"one of {', '.join(CONFIG_KINDS)}")]


class TenantIn(Body):
    id: str = Field(max_length=64, description="Lower-case letters, digits, '_', '-', '.'.")
    name: str = Field(max_length=200)
    kind: TenantKind = "brand"


class TenantPatch(Body):
    name: str | None = Field(default=None, max_length=200)
    kind: TenantKind | None = None
    active: bool | None = None


class ConfigIn(Body):
    body: str = Field(max_length=MAX_BODY, description="The configuration text (YAML).")


def _context(request: Request) -> Context:
    return Context(request.app.state.database, clock=lambda: clock(request))


def _actor(request: Request, principal: Principal) -> Actor:
    return Actor(principal.tenant, principal.user.id, client_ip(request))


def _operator(principal: Principal) -> bool:
    return principal.tenant == OPERATOR and principal.may(Permission.MANAGE_USERS)


def _visible(principal: Principal, tenant_id: str) -> None:
    if tenant_id != principal.tenant and not _operator(principal):
        raise NotFound(f"no tenant {tenant_id!r}")


def _operator_only(principal: Principal) -> None:
    if not _operator(principal):
        raise Forbidden(f"only administrators of tenant {OPERATOR!r} manage tenants")


@router.get("/tenants", response_model=list[Tenant])
def list_tenants(request: Request, principal: Reader) -> JSON:
    """Every tenant for the operator's administrators; one's own for everyone else."""
    with request.app.state.database.reading() as conn:
        found = store.list_all(conn)
    return JSON([t for t in found if _operator(principal) or t.id == principal.tenant])


@router.post("/tenants", response_model=Tenant, status_code=201, responses=CONFLICT)
def create_tenant(request: Request, body: TenantIn, principal: Manager) -> JSON:
    _operator_only(principal)
    tenant = actions.create_tenant(
        _context(request), _actor(request, principal), body.id, body.name, body.kind
    )
    return JSON(tenant, status_code=201)


@router.get("/tenants/{tenant_id}", response_model=Tenant)
def read_tenant(request: Request, tenant_id: TenantId, principal: Reader) -> JSON:
    _visible(principal, tenant_id)
    with request.app.state.database.reading() as conn:
        return JSON(store.get(conn, tenant_id))


@router.patch("/tenants/{tenant_id}", response_model=Tenant)
def update_tenant(
    request: Request, tenant_id: TenantId, body: TenantPatch, principal: Manager
) -> JSON:
    _visible(principal, tenant_id)
    _operator_only(principal)
    tenant = actions.update_tenant(
        _context(request), _actor(request, principal), tenant_id,
        name=body.name, kind=body.kind, active=body.active,
    )  # fmt: skip
    return JSON(tenant)


@router.get("/tenants/{tenant_id}/config", response_model=list[ConfigVersion])
def read_config(request: Request, tenant_id: TenantId, principal: Reader) -> JSON:
    """The version in force of each kind the tenant has saved."""
    _visible(principal, tenant_id)
    with request.app.state.database.reading() as conn:
        store.get(conn, tenant_id)
        return JSON(store.current_configs(conn, tenant_id))


@router.get("/tenants/{tenant_id}/config/{kind}/versions", response_model=list[ConfigVersion])
def config_versions(request: Request, tenant_id: TenantId, kind: Kind, principal: Reader) -> JSON:
    _visible(principal, tenant_id)
    checked = check_kind(kind)
    with request.app.state.database.reading() as conn:
        store.get(conn, tenant_id)
        return JSON(store.config_history(conn, tenant_id, checked))


@router.put("/tenants/{tenant_id}/config/{kind}", response_model=ConfigVersion, status_code=201)
def put_config(
    request: Request, tenant_id: TenantId, kind: Kind, body: ConfigIn, principal: Manager
) -> JSON:
    """Check and save a new version; 422 names what is wrong. It is in force in every
    process within a few seconds (see `GET /api/v1/config/status`)."""
    _visible(principal, tenant_id)
    version = actions.put_config(
        _context(request), _actor(request, principal), tenant_id, kind, body.body,
        principal.user.email,
    )  # fmt: skip
    return JSON(version, status_code=201)
