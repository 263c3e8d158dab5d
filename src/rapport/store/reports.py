"""The queries behind the reports: the API's charts and the scheduled HTML report read
the same figures from here."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import sqlalchemy as sa

from rapport.store import schema
from rapport.store.rows import as_utc

NpsBy = Literal["team", "agent", "intent", "lang", "network", "week"]
VolumeBy = Literal["lang", "intent", "sentiment", "team"]


def nps_answers(
    conn: sa.Connection, tenant: str, by: NpsBy, since: datetime
) -> list[tuple[str, int]]:
    """(group, score) of every survey answered since `since`."""
    surveys = schema.surveys
    column = {
        "team": surveys.c.team, "agent": surveys.c.agent_id, "intent": surveys.c.intent,
        "lang": surveys.c.lang, "network": surveys.c.network, "week": surveys.c.answered_at,
    }[by]  # fmt: skip
    query = sa.select(column, surveys.c.score).where(
        surveys.c.tenant == tenant, surveys.c.score.is_not(None), surveys.c.answered_at >= since
    )
    rows = conn.execute(query).all()
    if by == "week":
        return [(f"{as_utc(key):%G-W%V}", int(score)) for key, score in rows]
    return [(str(key) if key is not None else "(none)", int(score)) for key, score in rows]


def volume(
    conn: sa.Connection, by: VolumeBy, since: datetime, top: int = 15
) -> list[dict[str, object]]:
    """Posts since `since` per language, intent, sentiment or team, the busiest first."""
    posts, analyses = schema.posts, schema.analyses
    column = posts.c.lang if by == "lang" else analyses.c[by]
    query = (
        sa.select(column.label("key"), sa.func.count().label("posts"))
        .select_from(posts.outerjoin(analyses, analyses.c.post_id == posts.c.id))
        .where(posts.c.created_at >= since)
        .group_by(column)
        .order_by(sa.func.count().desc())
        .limit(top)
    )
    return [{"key": key or "und", "posts": int(n)} for key, n in conn.execute(query)]


def first_responses(conn: sa.Connection, tenant: str, since: datetime) -> tuple[list[float], int]:
    """Minutes to the first agent reply of each answered case opened since `since`, sorted,
    and how many of those cases kept their SLA."""
    cases, events = schema.cases, schema.case_events
    first_reply = (
        sa.select(events.c.case_id, sa.func.min(events.c.at).label("replied"))
        .where(events.c.kind == "agent_reply")
        .group_by(events.c.case_id)
        .subquery()
    )
    query = (
        sa.select(cases.c.opened_at, first_reply.c.replied, cases.c.sla_state)
        .select_from(cases.join(first_reply, first_reply.c.case_id == cases.c.id))
        .where(cases.c.tenant == tenant, cases.c.opened_at >= since)
    )
    found = conn.execute(query).all()
    minutes = sorted(
        max(0.0, ((as_utc(r) or since) - (as_utc(o) or since)).total_seconds() / 60)
        for o, r, _ in found
    )
    return minutes, sum(1 for *_, state in found if state != "breached")


def quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return round(values[min(len(values) - 1, int(q * len(values)))], 1)


def top_authors(conn: sa.Connection, since: datetime, top: int = 10) -> list[dict[str, object]]:
    """The most-followed authors who posted since `since`, with how many posts and how
    negative they were: who is talking about the brand, by reach."""
    posts, authors, analyses = schema.posts, schema.authors, schema.analyses
    negative = sa.func.sum(sa.case((analyses.c.sentiment == "negative", 1), else_=0))
    query = (
        sa.select(
            authors.c.handle, authors.c.followers, authors.c.verified,
            sa.func.count().label("posts"), negative.label("negative"),
        )
        .select_from(
            posts.join(authors, (authors.c.network == posts.c.network)
                       & (authors.c.source_id == posts.c.author_source_id))
            .outerjoin(analyses, analyses.c.post_id == posts.c.id)
        )
        .where(posts.c.created_at >= since)
        .group_by(authors.c.handle, authors.c.followers, authors.c.verified)
        .order_by(authors.c.followers.desc())
        .limit(top)
    )  # fmt: skip
    return [
        {"handle": h, "followers": int(f), "verified": bool(v), "posts": int(n),
         "negative": int(neg or 0)}
        for h, f, v, n, neg in conn.execute(query)
    ]  # fmt: skip


def alerts_per_hour(conn: sa.Connection, since: datetime) -> list[dict[str, object]]:
    """Spike and viral alerts per hour since `since`."""
    alerts = schema.alerts
    rows = conn.execute(
        sa.select(alerts.c.detected_at, alerts.c.kind).where(alerts.c.detected_at >= since)
    )
    counts: dict[str, int] = {}
    for detected, kind in rows:
        if kind in ("spike", "viral"):
            key = f"{as_utc(detected):%Y-%m-%d %H:00}"
            counts[key] = counts.get(key, 0) + 1
    return [{"key": k, "alerts": n} for k, n in sorted(counts.items())]
