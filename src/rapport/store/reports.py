"""The queries behind the reports: the API's charts and the scheduled HTML report read
the same figures from here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from rapport.records.reports import AlertHour, InfluencerRow, TrendRow, VolumeRow
from rapport.store import schema
from rapport.store.rows import as_utc

NpsBy = Literal["team", "agent", "intent", "lang", "network", "week"]
VolumeBy = Literal["lang", "intent", "sentiment", "team"]
TrendBy = Literal["lang", "intent"]
Step = Literal["hour", "day"]
SENTIMENTS = ("negative", "neutral", "positive")


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


def volume(conn: sa.Connection, by: VolumeBy, since: datetime, top: int = 15) -> list[VolumeRow]:
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
    return [VolumeRow(key=key or "und", posts=int(n)) for key, n in conn.execute(query)]


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


def cases_opened_before(conn: sa.Connection, before: datetime) -> list[datetime]:
    """When each case opened before `before` opened."""
    opened_at = schema.cases.c.opened_at
    found = conn.execute(sa.select(opened_at).where(opened_at < before)).scalars()
    return [moment for opened in found if (moment := as_utc(opened)) is not None]


def urgent_arrivals(conn: sa.Connection) -> list[datetime]:
    """When each post the models rated critical or high was written."""
    posts, analyses = schema.posts, schema.analyses
    query = (
        sa.select(posts.c.created_at)
        .select_from(posts.join(analyses, analyses.c.post_id == posts.c.id))
        .where(analyses.c.urgency.in_(("critical", "high")))
    )
    return [moment for created in conn.execute(query).scalars() if (moment := as_utc(created))]


def quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return round(values[min(len(values) - 1, int(q * len(values)))], 1)


def top_authors(conn: sa.Connection, since: datetime, top: int = 10) -> list[InfluencerRow]:
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
        InfluencerRow(handle=h, followers=int(f), verified=bool(v), posts=int(n),
                      negative=int(neg or 0))
        for h, f, v, n, neg in conn.execute(query)
    ]  # fmt: skip


def alerts_per_hour(conn: sa.Connection, since: datetime) -> list[AlertHour]:
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
    return [AlertHour(key=k, alerts=n) for k, n in sorted(counts.items())]


class _utc_bucket(FunctionElement[str]):
    """A timestamp's UTC hour ("YYYY-MM-DD HH") or day ("YYYY-MM-DD") as text, so a trend
    is grouped by the database and not by reading every post of the window back."""

    type = sa.String()
    inherit_cache = True

    def __init__(self, column: Any, step: Step) -> None:
        self.step = step
        super().__init__(column)


@compiles(_utc_bucket, "sqlite")
def _bucket_sqlite(element: _utc_bucket, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps timestamps as UTC text "YYYY-MM-DD HH:MM:SS.ffffff": a prefix is the bucket.
    width = 13 if element.step == "hour" else 10
    return f"substr({compiler.process(element.clauses, **kw)}, 1, {width})"


@compiles(_utc_bucket, "postgresql")
def _bucket_postgresql(element: _utc_bucket, compiler: SQLCompiler, **kw: Any) -> str:
    pattern = "YYYY-MM-DD HH24" if element.step == "hour" else "YYYY-MM-DD"
    column = compiler.process(element.clauses, **kw)
    return f"to_char({column} AT TIME ZONE 'UTC', '{pattern}')"


def _buckets(since: datetime, until: datetime, step: Step) -> list[str]:
    """Every bucket from `since` to `until`, so a quiet hour reads as zero, not as a gap."""
    size = timedelta(hours=1) if step == "hour" else timedelta(days=1)
    moment = since.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    if step == "day":
        moment = moment.replace(hour=0)
    keys = []
    while moment <= until:
        keys.append(f"{moment:%Y-%m-%d %H}" if step == "hour" else f"{moment:%Y-%m-%d}")
        moment += size
    return keys


def sentiment_trend(
    conn: sa.Connection,
    since: datetime,
    until: datetime,
    step: Step,
    by: TrendBy | None = None,
    key: str | None = None,
) -> list[TrendRow]:
    """Posts from `since` to `until` per UTC hour or day, split by the sentiment the models
    read, optionally only those of one language or intent (`by`, `key`). Posts the models
    did not read (stored without analysis) are counted as "unscored", so the bars still add
    up to the volume."""
    posts, analyses = schema.posts, schema.analyses
    bucket = _utc_bucket(posts.c.created_at, step).label("bucket")
    query = (
        sa.select(bucket, analyses.c.sentiment, sa.func.count().label("posts"))
        .select_from(posts.outerjoin(analyses, analyses.c.post_id == posts.c.id))
        .where(posts.c.created_at >= since, posts.c.created_at <= until)
        .group_by(bucket, analyses.c.sentiment)
    )
    if by is not None and key is not None:
        column = posts.c.lang if by == "lang" else analyses.c.intent
        # The volume report names a missing language "und": the same key finds those posts.
        query = query.where(
            sa.or_(column == key, column.is_(None)) if key == "und" else column == key
        )
    counts = {k: dict.fromkeys((*SENTIMENTS, "unscored"), 0) for k in _buckets(since, until, step)}
    for found, sentiment, n in conn.execute(query):
        row = counts.get(str(found))
        if row is not None:
            row[sentiment if sentiment in SENTIMENTS else "unscored"] += int(n)
    suffix = ":00" if step == "hour" else ""
    return [TrendRow(key=k + suffix, **row, total=sum(row.values())) for k, row in counts.items()]
