"""Open cases per queue, as workflow rules' `queue_load` conditions read them.

The case desk refreshes the counts in the transaction of every batch it stores (one
indexed GROUP BY), and agent actions refresh them too, so rules see the load as of the
last batch. Reads swap in a whole new dict, so they never see a half-made one.
"""

from __future__ import annotations

import sqlalchemy as sa

from rapport.store import schema


class OpenCases:
    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def open_cases(self, queue: str) -> int:
        return self._counts.get(queue, 0)

    def refresh(self, conn: sa.Connection) -> None:
        cases = schema.cases
        query = (
            sa.select(cases.c.team, sa.func.count())
            .where(cases.c.status == "open")
            .group_by(cases.c.team)
        )
        self._counts = {str(team): int(n) for team, n in conn.execute(query)}
