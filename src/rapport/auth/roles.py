"""Roles and what each may do. Permissions are checked per request against the user's role
as it is now, so a role change takes effect at once; a token's scopes can only narrow them."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, get_args

Role = Literal["admin", "supervisor", "agent", "analyst"]
ROLES: tuple[Role, ...] = get_args(Role)


class Permission(StrEnum):
    READ_POSTS = "posts:read"
    READ_CASES = "cases:read"
    ACT_ON_CASES = "cases:act"  # claim, reply, resolve
    MANAGE_RULES = "rules:manage"
    MANAGE_USERS = "users:manage"
    READ_REPORTS = "reports:read"
    READ_AUDIT = "audit:read"
    INGEST = "posts:ingest"  # push posts over HTTP: admins, and the connectors' API tokens
    MANAGE_TEMPLATES = "templates:manage"
    # Post texts and case texts unmasked; without it card numbers, phones, e-mails and
    # addresses in them are replaced by placeholders (`rapport.care.privacy.mask`).
    READ_PERSONAL_DATA = "personal_data:read"


_READ = frozenset({Permission.READ_POSTS, Permission.READ_CASES})

PERMISSIONS: dict[str, frozenset[Permission]] = {
    "admin": frozenset(Permission),
    "supervisor": _READ
    | {
        Permission.ACT_ON_CASES,
        Permission.MANAGE_RULES,
        Permission.MANAGE_TEMPLATES,
        Permission.READ_REPORTS,
        Permission.READ_AUDIT,
        Permission.READ_PERSONAL_DATA,
    },
    "agent": _READ | {Permission.ACT_ON_CASES, Permission.READ_PERSONAL_DATA},
    "analyst": _READ | {Permission.READ_REPORTS},
}


def is_role(value: str) -> bool:
    return value in ROLES


def may(role: str, permission: Permission | str) -> bool:
    """Whether `role` may do `permission`; an unknown role may do nothing."""
    granted = PERMISSIONS.get(role)
    return granted is not None and permission in granted


def permissions_of(role: str) -> frozenset[Permission]:
    return PERMISSIONS.get(role, frozenset())
