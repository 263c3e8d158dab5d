"""Every saved version of the workflow rules: who saved it, when, why. The newest is in force.

Versions are kept whole (the YAML text as given) so that any one can be read back, compared
or restored by saving it again as the newest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from rapport.errors import NotFound
from rapport.store import schema
from rapport.store.rows import as_utc


def save_version(
    conn: sa.Connection, body: str, *, author: str = "", note: str = "", tenant: str = "default"
) -> int:
    """Store `body` as the newest version unless it already is; returns the version number."""
    current = latest_version(conn, tenant=tenant)
    if current is not None and current["body"] == body:
        return int(current["version"])
    versions = schema.rule_versions
    inserted = conn.execute(
        sa.insert(versions).returning(versions.c.version),
        {"tenant": tenant, "body": body, "author": author, "note": note,
         "created_at": datetime.now(UTC)},
    )  # fmt: skip
    return int(inserted.scalar_one())


def latest_version(conn: sa.Connection, *, tenant: str = "default") -> dict[str, Any] | None:
    versions = schema.rule_versions
    row = conn.execute(
        sa.select(versions)
        .where(versions.c.tenant == tenant)
        .order_by(versions.c.version.desc())
        .limit(1)
    ).first()
    return _version(row) if row is not None else None


def get_version(conn: sa.Connection, version: int) -> dict[str, Any]:
    versions = schema.rule_versions
    row = conn.execute(sa.select(versions).where(versions.c.version == version)).first()
    if row is None:
        raise NotFound(f"no rules version {version}")
    return _version(row)


def list_versions(
    conn: sa.Connection, *, tenant: str = "default", limit: int = 50
) -> list[dict[str, Any]]:
    versions = schema.rule_versions
    query = (
        sa.select(versions.c.version, versions.c.author, versions.c.note, versions.c.created_at)
        .where(versions.c.tenant == tenant)
        .order_by(versions.c.version.desc())
        .limit(limit)
    )
    return [{**dict(r._mapping), "created_at": as_utc(r.created_at)} for r in conn.execute(query)]


def _version(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    data["created_at"] = as_utc(data["created_at"])
    return data
