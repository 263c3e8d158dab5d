"""The audit log: who did what, when, from where, with the record before and after.

`record` takes the connection of the change it describes, so the entry and the change commit
or roll back together: there is no change without its entry, and no entry for a change that
did not happen.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa

from rapport.records.audit import AuditEntry
from rapport.store import schema
from rapport.store.rows import as_utc


def record(
    conn: sa.Connection,
    tenant: str,
    user_id: int | None,
    action: str,
    subject: str,
    before: Any = None,
    after: Any = None,
    ip: str | None = None,
    *,
    at: datetime | None = None,
) -> int:
    """Append an entry; `before` and `after` are JSON-able (None when there is no such side).
    Returns the entry's id."""
    log = schema.audit_log
    entry_id = conn.execute(
        sa.insert(log).returning(log.c.id),
        {"tenant": tenant, "at": at or datetime.now(UTC), "user_id": user_id, "action": action,
         "subject": subject[:256], "before": _dump(before), "after": _dump(after),
         "ip": ip[:64] if ip else None},
    ).scalar_one()  # fmt: skip
    return int(entry_id)


def list_entries(
    conn: sa.Connection,
    tenant: str,
    *,
    limit: int = 50,
    before_id: int | None = None,
    user_id: int | None = None,
    action: str | None = None,
) -> list[AuditEntry]:
    """A tenant's entries, newest first, below `before_id` when given."""
    log = schema.audit_log
    query = sa.select(log).where(log.c.tenant == tenant).order_by(log.c.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(log.c.id < before_id)
    if user_id is not None:
        query = query.where(log.c.user_id == user_id)
    if action is not None:
        query = query.where(log.c.action == action)
    return [_entry(row._mapping) for row in conn.execute(query)]


def _dump(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def _entry(row: Any) -> AuditEntry:
    at = as_utc(row["at"])
    assert at is not None  # NOT NULL
    return AuditEntry(
        id=int(row["id"]), tenant=row["tenant"], at=at, user_id=row["user_id"],
        action=row["action"], subject=row["subject"],
        before=None if row["before"] is None else orjson.loads(row["before"]),
        after=None if row["after"] is None else orjson.loads(row["after"]), ip=row["ip"],
    )  # fmt: skip
