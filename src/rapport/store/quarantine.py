"""The quarantine table: records that could not be accepted, with why and where from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from rapport.errors import NotFound
from rapport.records.posts import QuarantineEntry
from rapport.store import rows
from rapport.store.database import Database
from rapport.store.schema import quarantine


def list_entries(
    database: Database, *, status: str | None = "open", limit: int = 50, after_id: int = 0
) -> list[QuarantineEntry]:
    query = (
        sa.select(quarantine)
        .where(quarantine.c.id > after_id)
        .order_by(quarantine.c.id)
        .limit(limit)
    )
    if status:
        query = query.where(quarantine.c.status == status)
    with database.engine.connect() as conn:
        return [_entry(row) for row in conn.execute(query)]


def get_entry(database: Database, entry_id: int) -> QuarantineEntry:
    with database.engine.connect() as conn:
        row = conn.execute(sa.select(quarantine).where(quarantine.c.id == entry_id)).first()
    if row is None:
        raise NotFound(f"no quarantine entry {entry_id}; see `rapport quarantine list`")
    return _entry(row)


def mark_replayed(database: Database, entry_id: int) -> None:
    database.writer.call(
        lambda conn: conn.execute(
            sa.update(quarantine)
            .where(quarantine.c.id == entry_id)
            .values(status="replayed", resolved_at=datetime.now(UTC))
        )
    )


def update_reason(database: Database, entry_id: int, reason: str) -> None:
    database.writer.call(
        lambda conn: conn.execute(
            sa.update(quarantine).where(quarantine.c.id == entry_id).values(reason=reason)
        )
    )


def _entry(row: Any) -> QuarantineEntry:
    created_at = rows.as_utc(row.created_at)
    assert created_at is not None  # a NOT NULL column
    return QuarantineEntry(
        id=int(row.id), source=row.source, location=row.location, format=row.format,
        reason=row.reason, raw=bytes(row.raw), raw_sha256=row.raw_sha256, status=row.status,
        created_at=created_at, resolved_at=rows.as_utc(row.resolved_at),
    )  # fmt: skip
