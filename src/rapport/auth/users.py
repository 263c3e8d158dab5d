"""What makes a user's fields valid: the email, the role, team names, languages and skills,
the number of cases at once. Checked here, before anything is stored."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rapport.auth.roles import ROLES, is_role
from rapport.errors import InputError
from rapport.records.accounts import NewUser, UserChange

# Deliberately loose: one @, a dot in the domain, no spaces. Whether the mailbox exists is
# not ours to decide, and stricter patterns refuse real addresses.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")
_TEAM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
EDITABLE = frozenset(
    {
        "email",
        "name",
        "role",
        "active",
        "languages",
        "skills",
        "capacity",
        "teams",
        "password_hash",
        "needs_approval",
    }
)


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if len(cleaned) > 254 or not _EMAIL.match(cleaned):
        raise InputError(
            f"{email!r} is not an email address; write it as name@example.com", "email"
        )
    return cleaned


def check_role(role: str) -> str:
    if not is_role(role):
        raise InputError(f"unknown role {role!r}; use one of {', '.join(ROLES)}", "role")
    return role


def check_teams(teams: Iterable[str]) -> tuple[str, ...]:
    found = tuple(dict.fromkeys(t.strip() for t in teams))
    for team in found:
        if not _TEAM.match(team):
            raise InputError(
                f"team {team!r} must be 1-64 letters, digits, '_', '.' or '-'", "teams"
            )
    return found


def check_capacity(capacity: int) -> int:
    if not 0 <= capacity <= 1000:
        raise InputError(f"capacity {capacity} must be between 0 and 1000 open cases", "capacity")
    return capacity


def clean_tags(values: Iterable[str]) -> tuple[str, ...]:
    """Languages and skills: stripped, blanks dropped, each once, in the order given."""
    return tuple(dict.fromkeys(v.strip() for v in values if v.strip()))


def new_user(
    *,
    email: str,
    role: str,
    name: str = "",
    tenant: str = "default",
    password_hash: str | None = None,
    teams: Sequence[str] = (),
    languages: Sequence[str] = (),
    skills: Sequence[str] = (),
    capacity: int = 5,
    active: bool = True,
    needs_approval: bool = False,
) -> NewUser:
    """A user to create, every field checked; InputError names the first bad one."""
    return NewUser(
        tenant=tenant,
        email=normalise_email(email),
        role=check_role(role),
        name=name,
        password_hash=password_hash,
        active=active,
        languages=clean_tags(languages),
        skills=clean_tags(skills),
        capacity=check_capacity(capacity),
        teams=check_teams(teams),
        needs_approval=needs_approval,
    )


def user_change(changes: Mapping[str, Any]) -> UserChange:
    """Checked values for the fields in `changes` (keys of EDITABLE)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InputError(f"cannot change {', '.join(sorted(unknown))}", "user")
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "email":
            values[key] = normalise_email(value)
        elif key == "role":
            values[key] = check_role(value)
        elif key in ("languages", "skills"):
            values[key] = clean_tags(value)
        elif key == "capacity":
            values[key] = check_capacity(value)
        elif key == "teams":
            values[key] = check_teams(value)
        else:
            values[key] = value
    return UserChange(**values)
