"""Accounts and access as values: users, their sessions and API tokens.

The store takes and returns these; `rapport.auth` decides what they allow. None of them holds
a password hash or a raw secret except where its name says so (`NewUser`, `Credentials`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class User:
    id: int
    tenant: str
    email: str
    name: str
    role: str
    active: bool
    created_at: datetime
    languages: tuple[str, ...]
    skills: tuple[str, ...]
    capacity: int
    teams: tuple[str, ...]
    # A supervisor approves this user's replies before they are sent (new staff, trainees).
    needs_approval: bool = False

    def to_json(self) -> dict[str, Any]:
        """What the audit log keeps: never the password hash, which is not here."""
        data = asdict(self)
        for key in ("languages", "skills", "teams"):
            data[key] = list(data[key])
        data["created_at"] = self.created_at.isoformat()
        return data


@dataclass(frozen=True, slots=True)
class NewUser:
    """A user to create, its fields already checked (`rapport.auth.users.new_user`)."""

    tenant: str
    email: str
    role: str
    name: str = ""
    password_hash: str | None = None
    active: bool = True
    languages: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    capacity: int = 5
    teams: tuple[str, ...] = ()
    needs_approval: bool = False


@dataclass(frozen=True, slots=True)
class UserChange:
    """Checked new values for some of a user's fields; None leaves a field as it is."""

    email: str | None = None
    name: str | None = None
    role: str | None = None
    active: bool | None = None
    languages: tuple[str, ...] | None = None
    skills: tuple[str, ...] | None = None
    capacity: int | None = None
    teams: tuple[str, ...] | None = None
    password_hash: str | None = None
    needs_approval: bool | None = None


@dataclass(frozen=True, slots=True)
class Credentials:
    """An active user with the hash to check a password against; for login only."""

    user: User
    password_hash: str | None


@dataclass(frozen=True, slots=True)
class Session:
    """A browser session; `id` is the sha256 of the secret in the cookie."""

    id: str
    user_id: int
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    user_id: int
    name: str
    # Sorted permission names; one that no longer exists matches no check, so grants nothing.
    scopes: tuple[str, ...]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    def allows(self, permission: str) -> bool:
        return permission in self.scopes

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user_id": self.user_id,
            "name": self.name,
            "scopes": list(self.scopes),
            "created_at": self.created_at.isoformat(),
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


@dataclass(frozen=True, slots=True)
class NewApiToken:
    """A token to store: only the hash of its value, which the user sees once."""

    user_id: int
    name: str
    token_hash: str
    scopes: tuple[str, ...]
    created_at: datetime
