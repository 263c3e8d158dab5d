"""One customer's relationship: the timeline of everything between them and the brand,
their Net Promoter history, and the time spent in conversation with them (`care/relationship.py`
judges its health from these)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa

from rapport.records.customers import (
    CaseChanged,
    CaseOpened,
    Handle,
    Moment,
    NpsAnswer,
    PostMoment,
    RecommendationMoment,
    ReplyMoment,
    SurveyMoment,
)
from rapport.store import schema
from rapport.store.rows import as_utc

TIMELINE = 100


def _handles(network: Any, source: Any, handles: list[Handle]) -> Any:
    return sa.tuple_(network, source).in_(handles)


def _case_ids(conn: sa.Connection, tenant: str, handles: list[Handle]) -> list[int]:
    cases = schema.cases
    query = sa.select(cases.c.id).where(
        cases.c.tenant == tenant, _handles(cases.c.network, cases.c.customer_id, handles)
    )
    return [int(i) for (i,) in conn.execute(query)]


def timeline(
    conn: sa.Connection,
    tenant: str,
    handles: list[Handle],
    authored: sa.ColumnElement[bool],
    *,
    limit: int = TIMELINE,
) -> list[Moment]:
    """Posts (`authored`, from `Database.posts_of(handles)`), case openings, resolutions and
    reopenings, replies, survey answers and recommendations, newest first."""
    posts, analyses = schema.posts, schema.analyses
    replies, surveys, recs = schema.replies, schema.surveys, schema.recommendation_events
    ids = _case_ids(conn, tenant, handles)
    found: list[Moment] = [
        PostMoment(_utc(r.created_at), r.text, r.sentiment, r.id)
        for r in conn.execute(
            sa.select(posts.c.id, posts.c.created_at, posts.c.text, analyses.c.sentiment)
            .select_from(posts.outerjoin(analyses, analyses.c.post_id == posts.c.id))
            .where(authored)
            .order_by(posts.c.created_at.desc())
            .limit(limit)
        )
    ]
    if ids:
        found += _case_changes(conn, ids)
        found += [
            ReplyMoment(_utc(r.created_at), r.case_id, r.text, bool(r.private), r.status)
            for r in conn.execute(sa.select(replies).where(replies.c.case_id.in_(ids)))
        ]
        found += [
            SurveyMoment(_utc(r.answered_at or r.asked_at), r.case_id, r.score)
            for r in conn.execute(sa.select(surveys).where(surveys.c.case_id.in_(ids)))
        ]
        found += [
            RecommendationMoment(_utc(r.at), r.case_id, r.item_id, f"recommendation_{r.event}")
            for r in conn.execute(sa.select(recs).where(recs.c.case_id.in_(ids)))
        ]
    found.sort(key=lambda moment: moment.at, reverse=True)
    return found[:limit]


def _case_changes(conn: sa.Connection, ids: list[int]) -> list[Moment]:
    """Each case's opening, and every resolution and reopening it had. They are read from
    the case's events: `resolved_at` holds only the latest resolution and is cleared by a
    reopening, so it alone would drop a case's earlier resolutions from the timeline."""
    cases, events = schema.cases, schema.case_events
    found: list[Moment] = []
    recorded: set[int] = set()
    for case_id, at, kind in conn.execute(
        sa.select(events.c.case_id, events.c.at, events.c.kind).where(
            events.c.case_id.in_(ids), events.c.kind.in_(("resolved", "reopened"))
        )
    ):
        found.append(CaseChanged(_utc(at), case_id, f"case_{kind}"))
        recorded.add(case_id)
    for r in conn.execute(sa.select(cases).where(cases.c.id.in_(ids))):
        found.append(CaseOpened(_utc(r.opened_at), r.id, r.team))
        if r.resolved_at is not None and r.id not in recorded:
            # A case resolved without an event (written by an import, say) keeps its one.
            found.append(CaseChanged(_utc(r.resolved_at), r.id, "case_resolved"))
    return found


def nps_history(conn: sa.Connection, tenant: str, handles: list[Handle]) -> list[NpsAnswer]:
    surveys = schema.surveys
    query = (
        sa.select(surveys.c.case_id, surveys.c.answered_at, surveys.c.score)
        .where(surveys.c.tenant == tenant, surveys.c.score.is_not(None),
               _handles(surveys.c.network, surveys.c.customer_id, handles))
        .order_by(surveys.c.answered_at)
    )  # fmt: skip
    return [NpsAnswer(c, _utc(a), int(s)) for c, a, s in conn.execute(query)]


def time_engaged_minutes(conn: sa.Connection, tenant: str, handles: list[Handle]) -> float:
    """Minutes the customer spent in conversation with the brand: for each case, from its
    opening to its last message or reply (not the agents' handle time)."""
    cases, links, posts, replies = schema.cases, schema.case_posts, schema.posts, schema.replies
    last_post = (
        sa.select(links.c.case_id, sa.func.max(posts.c.created_at).label("last"))
        .select_from(links.join(posts, posts.c.id == links.c.post_id))
        .group_by(links.c.case_id)
        .subquery()
    )
    last_reply = (
        sa.select(replies.c.case_id, sa.func.max(replies.c.created_at).label("last"))
        .group_by(replies.c.case_id)
        .subquery()
    )
    query = (
        sa.select(cases.c.opened_at, last_post.c.last, last_reply.c.last)
        .select_from(
            cases.outerjoin(last_post, last_post.c.case_id == cases.c.id).outerjoin(
                last_reply, last_reply.c.case_id == cases.c.id
            )
        )
        .where(cases.c.tenant == tenant, _handles(cases.c.network, cases.c.customer_id, handles))
    )
    total = 0.0
    for opened, posted, replied in conn.execute(query):
        start = as_utc(opened)
        ends = [t for t in (as_utc(posted), as_utc(replied)) if t is not None]
        if start is not None and ends:
            total += max(0.0, (max(ends) - start).total_seconds() / 60)
    return round(total, 1)


def _utc(value: datetime) -> datetime:
    # Every time read here is NOT NULL (or chosen so), so as_utc never answers None.
    return cast(datetime, as_utc(value))
