"""The committed case events, read in id order by every web tier's relay."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from rapport.records.case_feed import CaseFeedItem
from rapport.store import schema
from rapport.store.rows import as_utc


def feed_after(
    conn: sa.Connection, after: int, *, missing: Collection[int] = (), limit: int
) -> list[CaseFeedItem]:
    """Case events with an id above `after`, and those of the ids in `missing` now committed,
    oldest first; each with its case's tenant and team (one indexed read)."""
    events, cases = schema.case_events, schema.cases
    wanted = events.c.id > after
    if missing:
        wanted = sa.or_(wanted, events.c.id.in_(sorted(missing)))
    query = (
        sa.select(events.c.id, events.c.case_id, events.c.kind, events.c.at, cases.c.tenant,
                  cases.c.team)
        .select_from(events.join(cases, cases.c.id == events.c.case_id))
        .where(wanted)
        .order_by(events.c.id)
        .limit(limit)
    )  # fmt: skip
    found = []
    for row in conn.execute(query):
        at = as_utc(row.at)
        assert at is not None
        found.append(CaseFeedItem(id=int(row.id), case_id=int(row.case_id), tenant=str(row.tenant),
                                  team=str(row.team), kind=str(row.kind), at=at))  # fmt: skip
    return found
