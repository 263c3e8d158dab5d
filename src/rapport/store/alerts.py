"""Alerts: stored once per (kind, subject, window), listed newest first, and the webhook's
outbox (`delivery` is none, pending, delivered or failed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from rapport.records import Alert
from rapport.records.alerts import StoredAlert
from rapport.store import schema
from rapport.store.rows import as_utc


def insert_alerts(conn: sa.Connection, alerts: Sequence[Alert], *, deliver: bool) -> int:
    """Store alerts not raised before; returns how many were new."""
    if not alerts:
        return 0
    rows = [
        {
            "kind": a.kind,
            "subject_kind": a.subject_kind,
            "subject": a.subject[:256],
            "window_start": a.window_start,
            "detected_at": a.detected_at,
            "count": a.count,
            "expected": a.expected,
            "z": a.z,
            "message": a.message,
            "delivery": "pending" if deliver else "none",
        }
        for a in alerts
    ]
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(
        schema.alerts
    )
    result = conn.execute(insert.on_conflict_do_nothing(), rows)
    return max(result.rowcount, 0)


def _stored(row: Any) -> StoredAlert:
    return StoredAlert(
        id=int(row.id), kind=row.kind, subject_kind=row.subject_kind, subject=row.subject,
        window_start=as_utc(row.window_start), detected_at=as_utc(row.detected_at),
        count=int(row.count), expected=float(row.expected), z=float(row.z),
        message=row.message, delivery=row.delivery, attempts=int(row.attempts),
        last_error=row.last_error,
    )  # fmt: skip


def list_alerts(
    conn: sa.Connection, *, limit: int = 50, before_id: int | None = None, kind: str | None = None
) -> list[StoredAlert]:
    """Alerts newest first, below `before_id`, of one kind or all."""
    alerts = schema.alerts
    query = sa.select(alerts).order_by(alerts.c.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(alerts.c.id < before_id)
    if kind is not None:
        query = query.where(alerts.c.kind == kind)
    return [_stored(row) for row in conn.execute(query)]


def pending_deliveries(conn: sa.Connection, limit: int = 100) -> list[StoredAlert]:
    """Alerts still to send to the webhook, oldest first."""
    alerts = schema.alerts
    query = (
        sa.select(alerts).where(alerts.c.delivery == "pending").order_by(alerts.c.id).limit(limit)
    )
    return [_stored(row) for row in conn.execute(query)]


def mark_delivery(
    conn: sa.Connection, alert_id: int, *, delivered: bool, error: str | None, final: bool
) -> None:
    """Record one delivery attempt; `final` gives up on an alert that keeps failing."""
    alerts = schema.alerts
    state = "delivered" if delivered else ("failed" if final else "pending")
    conn.execute(
        sa.update(alerts)
        .where(alerts.c.id == alert_id)
        .values(delivery=state, attempts=alerts.c.attempts + 1, last_error=error)
    )
