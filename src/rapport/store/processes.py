"""The running processes' heartbeats: who is alive, and which configuration each applied."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from rapport.records.processes import Process
from rapport.store import schema
from rapport.store.rows import as_utc


def heartbeat(conn: sa.Connection, process: Process) -> None:
    """Register `process`, or refresh its row: when it was seen, which generation it applied.
    Only the process itself writes its row, so update-then-insert cannot race."""
    table = schema.processes
    updated = conn.execute(
        sa.update(table)
        .where(table.c.id == process.id)
        .values(seen_at=process.seen_at, generation=process.generation)
    )
    if updated.rowcount == 0:
        conn.execute(sa.insert(table), asdict(process))


def live(conn: sa.Connection, seen_since: datetime) -> list[Process]:
    """The processes seen at or after `seen_since`, oldest started first."""
    table = schema.processes
    query = (
        sa.select(table)
        .where(table.c.seen_at >= seen_since)
        .order_by(table.c.started_at, table.c.id)
    )
    return [_process(row) for row in conn.execute(query)]


def forget(conn: sa.Connection, process_id: str) -> None:
    """A process that stops cleanly leaves at once, so no one waits for it."""
    conn.execute(sa.delete(schema.processes).where(schema.processes.c.id == process_id))


def forget_stale(conn: sa.Connection, seen_before: datetime) -> int:
    """Drop processes not seen since `seen_before` (crashed or killed); how many."""
    table = schema.processes
    return int(conn.execute(sa.delete(table).where(table.c.seen_at < seen_before)).rowcount)


def _process(row: Any) -> Process:
    started, seen = as_utc(row.started_at), as_utc(row.seen_at)
    assert started is not None
    assert seen is not None
    return Process(
        id=row.id, role=row.role, host=row.host, pid=int(row.pid), started_at=started,
        seen_at=seen, generation=None if row.generation is None else int(row.generation),
    )  # fmt: skip
