"""Named locks held until the transaction ends, for writers running side by side.

Several persist workers write to PostgreSQL at once. Where a decision reads before it
writes (is there a case for this thread already?), two transactions could both read
"no" and both write. Taking a lock per name first makes the second wait for the first to
commit, and then read what it wrote. SQLite has one writer, so there it is a no-op.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import sqlalchemy as sa

# Locks are taken in key order, so two transactions never wait on each other in a cycle.
_TAKE = sa.text(
    "SELECT count(pg_advisory_xact_lock(k)) FROM "
    "(SELECT DISTINCT unnest(CAST(:keys AS bigint[])) AS k ORDER BY 1) AS ordered"
)


def lock_names(conn: sa.Connection, names: Iterable[str]) -> None:
    if conn.dialect.name != "postgresql":
        return
    keys = sorted({_key(name) for name in names})
    if keys:
        conn.execute(_TAKE, {"keys": keys})


def _key(name: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True
    )
