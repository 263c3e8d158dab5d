"""Users and their team membership. Email is unique within a tenant only: one person may work
for two brands."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa

from rapport.errors import Conflict, NotFound
from rapport.records.accounts import Credentials, NewUser, User, UserChange
from rapport.store import schema
from rapport.store.rows import as_utc

_LIST_COLUMNS = ("languages", "skills")


class EmailTaken(Conflict):
    """Another user of the tenant has this email."""


def insert_user(conn: sa.Connection, new: NewUser, *, at: datetime | None = None) -> User:
    """Store a new user; EmailTaken if the tenant has one with this email."""
    if email_in_use(conn, new.tenant, new.email):
        raise EmailTaken(f"{new.email} already has an account in tenant {new.tenant!r}")
    users = schema.users
    user_id = conn.execute(
        sa.insert(users).returning(users.c.id),
        {"tenant": new.tenant, "email": new.email, "name": new.name, "role": new.role,
         "password_hash": new.password_hash, "active": new.active,
         "created_at": at or datetime.now(UTC),
         "languages": _json(new.languages), "skills": _json(new.skills),
         "capacity": new.capacity, "needs_approval": new.needs_approval},
    ).scalar_one()  # fmt: skip
    set_teams(conn, int(user_id), new.teams)
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


def active_user(conn: sa.Connection, user_id: int) -> User | None:
    """The user if they exist and are active: the one a session or token may act as."""
    try:
        user = get_user(conn, user_id)
    except NotFound:
        return None
    return user if user.active else None


def credentials(conn: sa.Connection, email: str, *, tenant: str | None = None) -> list[Credentials]:
    """The active users with this (normalised) email, in `tenant` or in any."""
    users = schema.users
    query = sa.select(users).where(users.c.email == email, users.c.active)
    if tenant is not None:
        query = query.where(users.c.tenant == tenant)
    rows = conn.execute(query.order_by(users.c.id)).all()
    teams = _teams_of(conn, [int(r.id) for r in rows])
    return [Credentials(_user(r._mapping, teams.get(int(r.id), ())), r.password_hash) for r in rows]


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


def update_user(conn: sa.Connection, user: User, change: UserChange) -> User:
    """Apply `change` to `user` (as read in this transaction); returns the user after.
    EmailTaken if the new email is another user's of the tenant."""
    values: dict[str, Any] = {}
    for field in fields(change):
        value = getattr(change, field.name)
        if value is None or field.name == "teams":
            continue
        values[field.name] = _json(value) if field.name in _LIST_COLUMNS else value
    address = values.get("email")
    if address is not None and address != user.email and email_in_use(conn, user.tenant, address):
        raise EmailTaken(f"{address} already has an account in this tenant")
    if values:
        users = schema.users
        conn.execute(sa.update(users).where(users.c.id == user.id).values(**values))
    if change.teams is not None:
        set_teams(conn, user.id, change.teams)
    return get_user(conn, user.id)


def set_teams(conn: sa.Connection, user_id: int, teams: Iterable[str]) -> None:
    member = schema.user_teams
    conn.execute(sa.delete(member).where(member.c.user_id == user_id))
    found = list(teams)
    if found:
        conn.execute(sa.insert(member), [{"user_id": user_id, "team": t} for t in found])


def count_active_admins(conn: sa.Connection, tenant: str) -> int:
    users = schema.users
    query = sa.select(sa.func.count()).where(
        users.c.tenant == tenant, users.c.role == "admin", users.c.active
    )
    return int(conn.execute(query).scalar_one())


def email_in_use(conn: sa.Connection, tenant: str, address: str) -> bool:
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
    created_at = as_utc(row["created_at"])
    assert created_at is not None  # the column is NOT NULL
    return User(
        id=int(row["id"]),
        tenant=str(row["tenant"]),
        email=str(row["email"]),
        name=str(row["name"]),
        role=str(row["role"]),
        active=bool(row["active"]),
        created_at=created_at,
        languages=tuple(orjson.loads(row["languages"])),
        skills=tuple(orjson.loads(row["skills"])),
        capacity=int(row["capacity"]),
        teams=teams,
        needs_approval=bool(row.get("needs_approval", False)),
    )


def _json(values: Sequence[str]) -> str:
    return orjson.dumps(list(values)).decode()
