"""Tenants: the brands, agencies and merchants that share one install, and their settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from rapport.records.rules import RuleVersion

TenantKind = Literal["brand", "agency", "merchant"]
TENANT_KINDS: tuple[TenantKind, ...] = get_args(TenantKind)

# What a tenant configures for itself, each versioned on its own. Workflow rules have their
# own versions (`rule_versions`) and API, from before tenants were records.
ConfigKind = Literal["queries", "sla", "teams", "weights", "handles"]
CONFIG_KINDS: tuple[ConfigKind, ...] = get_args(ConfigKind)


@dataclass(frozen=True, slots=True)
class Tenant:
    id: str
    name: str
    kind: TenantKind
    active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ConfigVersion:
    """One saved version of one kind of a tenant's configuration; the newest is in force."""

    id: int
    tenant: str
    kind: ConfigKind
    body: str
    author: str
    saved_at: datetime


@dataclass(frozen=True, slots=True)
class TenancySnapshot:
    """Everything that decides how the pipeline treats each tenant, read at one moment:
    the active tenants, their configuration in force and their rules in force."""

    generation: int
    tenants: tuple[Tenant, ...]
    configs: tuple[ConfigVersion, ...]
    rules: tuple[RuleVersion, ...]
