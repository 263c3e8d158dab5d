"""Open cases per tenant and queue, as workflow rules' `queue_load` conditions read them:
each tenant's rules see its own queues (`for_tenant`).

The case desk refreshes the counts in the transaction of every batch it stores (one
indexed GROUP BY). Cases are opened and closed by other processes too (other web tiers,
persist workers, agents on any tier), so a load given the database also reads the counts
again when they are older than `max_age` seconds: a rule sees another process's cases
within a few seconds, at the cost of one small read every few seconds, not one per post.
Reads swap in a whole new dict, so they never see a half-made one.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from rapport.store import Connection, Database
from rapport.store.cases import open_counts

MAX_AGE = 2.0
_log = logging.getLogger(__name__)


class OpenCases:
    def __init__(self, database: Database | None = None, *, max_age: float = MAX_AGE) -> None:
        self.database = database
        self.max_age = max_age
        self._counts: dict[tuple[str, str], int] = {}
        self._read_at = float("-inf")

    def open_cases(self, queue: str, tenant: str = "default") -> int:
        if self.database is not None and time.monotonic() - self._read_at > self.max_age:
            self._read_again(self.database)
        return self._counts.get((tenant, queue), 0)

    def for_tenant(self, tenant: str) -> TenantLoad:
        return TenantLoad(self, tenant)

    def refresh(self, conn: Connection) -> None:
        self._counts = open_counts(conn)
        self._read_at = time.monotonic()

    def __reduce__(self) -> tuple[Any, ...]:
        # A copy for another process (the file helper) takes the counts, not the database's
        # connections: it sees the load as it was when copied, as the rules it serves say.
        return (_frozen, (dict(self._counts),))

    def _read_again(self, database: Database) -> None:
        # Marked read first: threads routing at the same moment do not all read at once.
        self._read_at = time.monotonic()
        try:
            with database.reading() as conn:
                self._counts = open_counts(conn)
        except Exception:
            # Routing goes on with the last counts: a rule is better a little stale than failing
            # the batch while the database is away.
            _log.warning("queue load: could not read open cases; keeping the last counts",
                         exc_info=True)  # fmt: skip


class TenantLoad:
    """One tenant's queues of the shared counts."""

    def __init__(self, counts: OpenCases, tenant: str) -> None:
        self.counts, self.tenant = counts, tenant

    def open_cases(self, queue: str) -> int:
        return self.counts.open_cases(queue, self.tenant)

    def for_tenant(self, tenant: str) -> TenantLoad:
        return TenantLoad(self.counts, tenant)


def _frozen(counts: dict[tuple[str, str], int]) -> OpenCases:
    load = OpenCases()
    load._counts = counts
    return load
