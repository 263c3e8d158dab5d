"""Users and their team membership, read and written through a connection (writes inside
`database.write`, so that a change and its audit entry share one transaction)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa

from rapport.auth.clock import as_utc, utcnow
from rapport.auth.roles import ROLES, is_role
from rapport.errors import InputError, NotFound
from rapport.store import schema

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


class EmailTaken(InputError):
    """Another user of the tenant has this email."""


@dataclass(frozen=True)
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
        """What the API and the audit log show: never the password hash, which is not here."""
        data = asdict(self)
        for key in ("languages", "skills", "teams"):
            data[key] = list(data[key])
        data["created_at"] = self.created_at.isoformat()
        return data


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


def create_user(
    conn: sa.Connection,
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
    now: datetime | None = None,
) -> User:
    address = normalise_email(email)
    if _email_in_use(conn, tenant, address):
        raise EmailTaken(f"{address} already has an account in tenant {tenant!r}", "email")
    users = schema.users
    user_id = conn.execute(
        sa.insert(users).returning(users.c.id),
        {"tenant": tenant, "email": address, "name": name, "role": check_role(role),
         "password_hash": password_hash, "active": active,
         "created_at": now or utcnow(),
         "languages": _json_list(languages), "skills": _json_list(skills),
         "capacity": _check_capacity(capacity), "needs_approval": needs_approval},
    ).scalar_one()  # fmt: skip
    set_teams(conn, int(user_id), teams)
    return get_user(conn, int(user_id))


def get_user(conn: sa.Connection, user_id: int, *, tenant: str | None = None) -> User:
    """The user, or NotFound; with `tenant`, a user of another tenant is not found either."""
    query = sa.select(schema.users).where(schema.users.c.id == user_id)
    if tenant is not None:
        query = query.where(schema.users.c.tenant == tenant)
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"no user with id {user_id}")
    return _user(row._mapping, _teams_of(conn, [user_id]).get(user_id, ()))


def credentials(
    conn: sa.Connection, email: str, *, tenant: str | None = None
) -> list[tuple[User, str | None]]:
    """The active users with this email (in `tenant`, or in any), each with its password hash;
    for login only."""
    users = schema.users
    query = sa.select(users).where(users.c.email == email.strip().lower(), users.c.active)
    if tenant is not None:
        query = query.where(users.c.tenant == tenant)
    rows = conn.execute(query.order_by(users.c.id)).all()
    teams = _teams_of(conn, [int(r.id) for r in rows])
    return [(_user(r._mapping, teams.get(int(r.id), ())), r.password_hash) for r in rows]


def list_users(
    conn: sa.Connection, tenant: str, *, limit: int = 100, offset: int = 0
) -> list[User]:
    users = schema.users
    rows = conn.execute(
        sa.select(users)
        .where(users.c.tenant == tenant)
        .order_by(users.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    teams = _teams_of(conn, [int(r.id) for r in rows])
    return [_user(r._mapping, teams.get(int(r.id), ())) for r in rows]


def update_user(
    conn: sa.Connection, user_id: int, changes: Mapping[str, Any], *, tenant: str | None = None
) -> tuple[User, User]:
    """Apply `changes` (keys of EDITABLE); returns the user before and after."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InputError(f"cannot change {', '.join(sorted(unknown))}", "user")
    before = get_user(conn, user_id, tenant=tenant)
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "email":
            address = normalise_email(value)
            if address != before.email and _email_in_use(conn, before.tenant, address):
                raise EmailTaken(f"{address} already has an account in this tenant", "email")
            values["email"] = address
        elif key == "role":
            values["role"] = check_role(value)
        elif key in ("languages", "skills"):
            values[key] = _json_list(value)
        elif key == "capacity":
            values["capacity"] = _check_capacity(value)
        elif key != "teams":
            values[key] = value
    if values:
        users = schema.users
        conn.execute(sa.update(users).where(users.c.id == user_id).values(**values))
    if "teams" in changes:
        set_teams(conn, user_id, changes["teams"])
    return before, get_user(conn, user_id)


def set_teams(conn: sa.Connection, user_id: int, teams: Iterable[str]) -> None:
    found = check_teams(teams)
    member = schema.user_teams
    conn.execute(sa.delete(member).where(member.c.user_id == user_id))
    if found:
        conn.execute(sa.insert(member), [{"user_id": user_id, "team": t} for t in found])


def count_active_admins(conn: sa.Connection, tenant: str) -> int:
    users = schema.users
    query = sa.select(sa.func.count()).where(
        users.c.tenant == tenant, users.c.role == "admin", users.c.active
    )
    return int(conn.execute(query).scalar_one())


def _email_in_use(conn: sa.Connection, tenant: str, address: str) -> bool:
    users = schema.users
    query = sa.select(users.c.id).where(users.c.tenant == tenant, users.c.email == address)
    return conn.execute(query).first() is not None


def _teams_of(conn: sa.Connection, user_ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not user_ids:
        return {}
    member = schema.user_teams
    found: dict[int, list[str]] = {}
    query = (
        sa.select(member.c.user_id, member.c.team)
        .where(member.c.user_id.in_(user_ids))
        .order_by(member.c.user_id, member.c.team)
    )
    for user_id, team in conn.execute(query):
        found.setdefault(int(user_id), []).append(str(team))
    return {k: tuple(v) for k, v in found.items()}


def _user(row: sa.RowMapping, teams: tuple[str, ...]) -> User:
    return User(
        id=int(row["id"]),
        tenant=str(row["tenant"]),
        email=str(row["email"]),
        name=str(row["name"]),
        role=str(row["role"]),
        active=bool(row["active"]),
        created_at=as_utc(row["created_at"]),
        languages=tuple(orjson.loads(row["languages"])),
        skills=tuple(orjson.loads(row["skills"])),
        capacity=int(row["capacity"]),
        teams=teams,
        needs_approval=bool(row.get("needs_approval", False)),
    )


def _json_list(values: Iterable[str]) -> str:
    return orjson.dumps(list(dict.fromkeys(v.strip() for v in values if v.strip()))).decode()


def _check_capacity(capacity: int) -> int:
    if not 0 <= capacity <= 1000:
        raise InputError(f"capacity {capacity} must be between 0 and 1000 open cases", "capacity")
    return capacity
