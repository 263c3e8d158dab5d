"""Named locks held until the transaction ends, for writers running side by side.

Several persist workers write to PostgreSQL at once. Where a decision reads before it
writes (is there a case for this thread already?), two transactions could both read
"no" and both write. Taking a lock per name first makes the second wait for the first to
commit, and then read what it wrote. SQLite has one writer, so there it is a no-op.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

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


@contextmanager
def exclusive(engine: sa.Engine, name: str) -> Iterator[bool]:
    """Whether this process may do `name`'s periodic work now: True for one holder at a time.

    Each web-tier process runs the SLA watch and the alert notifier; with several of them
    on one PostgreSQL, the first to ask does a pass and the others skip it. The lock
    belongs to a connection of its own, so it ends with the pass or with the process.
    """
    if engine.dialect.name != "postgresql":
        yield True
        return
    key = _key(name)
    with engine.connect() as conn:
        held = bool(conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        conn.commit()
        try:
            yield held
        finally:
            if held:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
