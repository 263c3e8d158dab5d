"""What only the demo asks of the store: its seeded history and its simulated team's work."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import orjson
import sqlalchemy as sa

from rapport.records.past_cases import PastCase
from rapport.store import schema
from rapport.store.rows import as_utc


def newest_post_with_prefix(conn: sa.Connection, prefix: str) -> datetime | None:
    """When the newest post whose source id starts with `prefix` was written."""
    posts = schema.posts
    newest = conn.execute(
        sa.select(sa.func.max(posts.c.created_at)).where(posts.c.source_id.like(prefix + "%"))
    ).scalar()
    return as_utc(newest)


def insert_past_cases(conn: sa.Connection, past: Sequence[PastCase]) -> tuple[int, int]:
    """Resolved cases with their events and ratings, as they happened; (cases, surveys)."""
    if not past:
        return 0, 0
    cases = schema.cases
    rows = [
        {"tenant": p.tenant, "network": p.network, "conversation_id": p.conversation_id,
         "customer_id": p.customer_id, "customer_handle": p.customer_handle, "team": p.team,
         "status": "resolved", "priority": p.priority,
         "tags": orjson.dumps(list(p.tags)).decode(), "lang": p.lang, "intent": p.intent,
         "root_post_id": p.post_id, "latest_post_id": p.post_id, "opened_at": p.opened,
         "updated_at": p.resolved, "resolved_at": p.resolved, "sla_policy": p.sla_policy,
         "sla_state": "breached" if p.breached else "ok"}
        for p in past
    ]  # fmt: skip
    insert = sa.insert(cases).returning(cases.c.id, sort_by_parameter_order=True)
    ids = [int(i) for i in conn.execute(insert, rows).scalars()]
    conn.execute(sa.insert(schema.case_posts), [
        {"tenant": p.tenant, "post_id": p.post_id, "case_id": case_id, "role": "message"}
        for p, case_id in zip(past, ids, strict=True)
    ])  # fmt: skip
    events, surveys = [], []
    for p, case_id in zip(past, ids, strict=True):
        events += [
            {"case_id": case_id, "at": p.opened, "kind": "opened", "actor": ""},
            {"case_id": case_id, "at": p.replied, "kind": "agent_reply", "actor": p.agent},
            {"case_id": case_id, "at": p.resolved, "kind": "resolved", "actor": p.agent},
        ]
        if p.score is not None:
            surveys.append({
                "case_id": case_id, "tenant": p.tenant, "network": p.network,
                "customer_id": p.customer_id, "team": p.team, "intent": p.intent,
                "lang": p.lang, "asked_at": p.resolved, "answered_at": p.answered,
                "score": p.score,
            })  # fmt: skip
    conn.execute(sa.insert(schema.case_events), events)
    if surveys:
        conn.execute(sa.insert(schema.surveys), surveys)
    return len(ids), len(surveys)


def pending_since(conn: sa.Connection, before: datetime, *, limit: int = 5) -> list[int]:
    """Cases waiting on their customer, unchanged since before `before`."""
    cases = schema.cases
    query = (
        sa.select(cases.c.id)
        .where(cases.c.status == "pending", cases.c.updated_at <= before)
        .limit(limit)
    )
    return [int(i) for i in conn.execute(query).scalars()]
