"""Who has a case open, in SQL: one row per (case, user), renewed by each heartbeat.

Heartbeats are not audited and change nothing of the case, so they run as single statements
outside any action. Reads ignore rows older than the window they are given; `sweep` deletes
them for good.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from rapport.records.cases import Viewer
from rapport.store import schema
from rapport.store.rows import as_utc


def touch(
    conn: sa.Connection,
    tenant: str,
    case_id: int,
    user_id: int,
    name: str,
    *,
    typing: bool,
    now: datetime,
    lapsed_at: datetime,
) -> None:
    """Record a heartbeat. A row that lapsed (last seen at or before `lapsed_at`) but was not
    swept yet starts a new stretch of viewing, as a new row would."""
    table = schema.presence
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)
    # One statement: two tiers may take the same user's first heartbeats at once (two tabs).
    upsert = insert.values(
        case_id=case_id, user_id=user_id, tenant=tenant, user_name=name, typing=typing,
        since=now, seen_at=now,
    ).on_conflict_do_update(
        index_elements=[table.c.case_id, table.c.user_id],
        set_={
            "user_name": insert.excluded.user_name,
            "typing": insert.excluded.typing,
            "seen_at": insert.excluded.seen_at,
            "since": sa.case(
                (table.c.seen_at <= lapsed_at, insert.excluded.since), else_=table.c.since
            ),
        },
    )  # fmt: skip
    conn.execute(upsert)


def leave(conn: sa.Connection, case_id: int, user_id: int) -> None:
    table = schema.presence
    conn.execute(sa.delete(table).where(table.c.case_id == case_id, table.c.user_id == user_id))


def viewers(conn: sa.Connection, case_id: int, *, seen_after: datetime) -> list[Viewer]:
    """The users with the case open now (seen after `seen_after`), earliest first."""
    table = schema.presence
    query = (
        sa.select(table.c.user_id, table.c.user_name, table.c.typing, table.c.since)
        .where(table.c.case_id == case_id, table.c.seen_at > seen_after)
        .order_by(table.c.since, table.c.user_id)
    )
    found = []
    for row in conn.execute(query):
        since = as_utc(row.since)
        assert since is not None
        found.append(Viewer(int(row.user_id), str(row.user_name), bool(row.typing), since))
    return found


def sweep(conn: sa.Connection, lapsed_at: datetime) -> int:
    """Delete the rows last seen at or before `lapsed_at`; how many."""
    table = schema.presence
    return int(conn.execute(sa.delete(table).where(table.c.seen_at <= lapsed_at)).rowcount)
