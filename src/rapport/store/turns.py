"""Round-robin turns of assignment, in SQL: the agent each team's turn passed to last.

Read and written inside the assignment's transaction, after `lock_turns`, so two tiers
running assignment at once take turns one after the other rather than from the same place.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from rapport.store import schema
from rapport.store.locks import lock_names


def lock_turns(conn: sa.Connection, tenant: str) -> None:
    """Hold the tenant's turns until the transaction ends (SQLite's one writer already does)."""
    lock_names(conn, [f"assignment-turns:{tenant}"])


def last_turns(conn: sa.Connection, tenant: str) -> dict[str, int]:
    """The agent assigned last in each team of the tenant."""
    table = schema.assignment_turns
    query = sa.select(table.c.team, table.c.last_agent_id).where(table.c.tenant == tenant)
    return {str(team): int(agent) for team, agent in conn.execute(query)}


def remember_turns(conn: sa.Connection, tenant: str, last: Mapping[str, int]) -> None:
    """Record the agent each of these teams' turn passed to last."""
    if not last:
        return
    table = schema.assignment_turns
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)
    upsert = insert.on_conflict_do_update(
        index_elements=[table.c.tenant, table.c.team],
        set_={"last_agent_id": insert.excluded.last_agent_id, "turns": table.c.turns + 1},
    )
    conn.execute(
        upsert,
        [{"tenant": tenant, "team": team, "last_agent_id": agent, "turns": 1}
         for team, agent in sorted(last.items())],
    )  # fmt: skip
