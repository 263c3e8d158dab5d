"""Every saved version of the workflow rules: who saved it, when, why. The newest is in force.

Versions are kept whole (the YAML text as given) so that any one can be read back, compared
or restored by saving it again as the newest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from rapport.errors import NotFound
from rapport.records.rules import RuleVersion, RuleVersionSummary
from rapport.store import schema
from rapport.store.rows import as_utc


def save_version(
    conn: sa.Connection,
    body: str,
    *,
    author: str = "",
    note: str = "",
    tenant: str = "default",
    at: datetime | None = None,
) -> int:
    """Store `body` as the newest version unless it already is; returns the version number."""
    current = latest_version(conn, tenant=tenant)
    if current is not None and current.body == body:
        return current.version
    versions = schema.rule_versions
    inserted = conn.execute(
        sa.insert(versions).returning(versions.c.version),
        {"tenant": tenant, "body": body, "author": author, "note": note,
         "created_at": at or datetime.now(UTC)},
    )  # fmt: skip
    return int(inserted.scalar_one())


def latest_version(conn: sa.Connection, *, tenant: str = "default") -> RuleVersion | None:
    versions = schema.rule_versions
    row = conn.execute(
        sa.select(versions)
        .where(versions.c.tenant == tenant)
        .order_by(versions.c.version.desc())
        .limit(1)
    ).first()
    return _version(row) if row is not None else None


def latest_versions(conn: sa.Connection) -> list[RuleVersion]:
    """The newest version of every tenant's rules: the ones in force."""
    versions = schema.rule_versions
    newest = sa.select(sa.func.max(versions.c.version)).group_by(versions.c.tenant)
    query = sa.select(versions).where(versions.c.version.in_(newest)).order_by(versions.c.tenant)
    return [_version(row) for row in conn.execute(query)]


def get_version(conn: sa.Connection, version: int, *, tenant: str | None = None) -> RuleVersion:
    """One version; with `tenant`, another tenant's version is not found either."""
    versions = schema.rule_versions
    query = sa.select(versions).where(versions.c.version == version)
    if tenant is not None:
        query = query.where(versions.c.tenant == tenant)
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"no rules version {version}")
    return _version(row)


def list_versions(
    conn: sa.Connection, *, tenant: str = "default", limit: int = 50
) -> list[RuleVersionSummary]:
    versions = schema.rule_versions
    query = (
        sa.select(versions.c.version, versions.c.author, versions.c.note, versions.c.created_at)
        .where(versions.c.tenant == tenant)
        .order_by(versions.c.version.desc())
        .limit(limit)
    )
    return [
        RuleVersionSummary(
            version=int(r.version), author=r.author, note=r.note, created_at=_utc(r.created_at)
        )
        for r in conn.execute(query)
    ]


def _utc(value: datetime) -> datetime:
    found = as_utc(value)
    assert found is not None  # the column is NOT NULL
    return found


def _version(row: Any) -> RuleVersion:
    return RuleVersion(
        version=int(row.version), tenant=row.tenant, body=row.body, author=row.author,
        note=row.note, created_at=_utc(row.created_at),
    )  # fmt: skip
