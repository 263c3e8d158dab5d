"""Open cases per queue, as workflow rules' `queue_load` conditions read them.

The case desk refreshes the counts in the transaction of every batch it stores (one
indexed GROUP BY), and agent actions refresh them too, so rules see the load as of the
last batch. Reads swap in a whole new dict, so they never see a half-made one.
"""

from __future__ import annotations

from rapport.store import Connection
from rapport.store.cases import open_counts


class OpenCases:
    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def open_cases(self, queue: str) -> int:
        return self._counts.get(queue, 0)

    def refresh(self, conn: Connection) -> None:
        self._counts = open_counts(conn)
