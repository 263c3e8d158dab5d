"""One customer's relationship: the timeline of everything between them and the brand,
their Net Promoter history, the time spent in conversation with them, and a health
indicator that says why it is what it is."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from rapport.store import schema
from rapport.store.rows import as_utc

Handle = tuple[str, str]
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
) -> list[dict[str, Any]]:
    """Posts (`authored`, from `Database.posts_of(handles)`), case openings, resolutions and
    reopenings, replies, survey answers and recommendations, newest first."""
    posts, analyses = schema.posts, schema.analyses
    replies, surveys, recs = schema.replies, schema.surveys, schema.recommendation_events
    ids = _case_ids(conn, tenant, handles)
    found: list[dict[str, Any]] = [
        {"at": r.created_at, "kind": "post", "text": r.text, "sentiment": r.sentiment,
         "post_id": r.id}
        for r in conn.execute(
            sa.select(posts.c.id, posts.c.created_at, posts.c.text, analyses.c.sentiment)
            .select_from(posts.outerjoin(analyses, analyses.c.post_id == posts.c.id))
            .where(authored)
            .order_by(posts.c.created_at.desc())
            .limit(limit)
        )
    ]  # fmt: skip
    if ids:
        found += _case_changes(conn, ids)
        found += [
            {"at": r.created_at, "kind": "reply", "case_id": r.case_id, "text": r.text,
             "private": bool(r.private), "status": r.status}
            for r in conn.execute(sa.select(replies).where(replies.c.case_id.in_(ids)))
        ]  # fmt: skip
        found += [
            {"at": r.answered_at or r.asked_at, "kind": "survey", "case_id": r.case_id,
             "score": r.score}
            for r in conn.execute(sa.select(surveys).where(surveys.c.case_id.in_(ids)))
        ]  # fmt: skip
        found += [
            {"at": r.at, "kind": f"recommendation_{r.event}", "case_id": r.case_id,
             "item": r.item_id}
            for r in conn.execute(sa.select(recs).where(recs.c.case_id.in_(ids)))
        ]  # fmt: skip
    for item in found:
        item["at"] = as_utc(item["at"])
    found.sort(key=lambda item: item["at"], reverse=True)
    return found[:limit]


def _case_changes(conn: sa.Connection, ids: list[int]) -> list[dict[str, Any]]:
    """Each case's opening, and every resolution and reopening it had. They are read from
    the case's events: `resolved_at` holds only the latest resolution and is cleared by a
    reopening, so it alone would drop a case's earlier resolutions from the timeline."""
    cases, events = schema.cases, schema.case_events
    found: list[dict[str, Any]] = []
    recorded: set[int] = set()
    for case_id, at, kind in conn.execute(
        sa.select(events.c.case_id, events.c.at, events.c.kind).where(
            events.c.case_id.in_(ids), events.c.kind.in_(("resolved", "reopened"))
        )
    ):
        found.append({"at": at, "kind": f"case_{kind}", "case_id": case_id})
        recorded.add(case_id)
    for r in conn.execute(sa.select(cases).where(cases.c.id.in_(ids))):
        found.append({"at": r.opened_at, "kind": "case_opened", "case_id": r.id, "team": r.team})
        if r.resolved_at is not None and r.id not in recorded:
            # A case resolved without an event (written by an import, say) keeps its one.
            found.append({"at": r.resolved_at, "kind": "case_resolved", "case_id": r.id})
    return found


def nps_history(conn: sa.Connection, tenant: str, handles: list[Handle]) -> list[dict[str, Any]]:
    surveys = schema.surveys
    query = (
        sa.select(surveys.c.case_id, surveys.c.answered_at, surveys.c.score)
        .where(surveys.c.tenant == tenant, surveys.c.score.is_not(None),
               _handles(surveys.c.network, surveys.c.customer_id, handles))
        .order_by(surveys.c.answered_at)
    )  # fmt: skip
    return [{"case_id": c, "at": as_utc(a), "score": int(s)} for c, a, s in conn.execute(query)]


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


def health(
    sentiment: list[dict[str, Any]],
    nps: list[dict[str, Any]],
    cases: list[dict[str, Any]],
    *,
    now: datetime,
) -> dict[str, Any]:
    """0-100 and a level (good, watch, at risk), with the reasons that moved it from 70."""
    score, reasons = 70.0, []
    recent = [d for d in sentiment if d["day"] >= (now - timedelta(days=30)).date().isoformat()]
    negative = sum(d["negative"] for d in recent)
    total = sum(d["negative"] + d["neutral"] + d["positive"] for d in recent)
    if total:
        share = negative / total
        score -= 30 * share
        reasons.append(f"{share:.0%} of their posts in the last 30 days were negative")
    if nps:
        last = nps[-1]["score"]
        change = 20 if last >= 9 else (-30 if last <= 6 else 0)
        score += change
        reasons.append(f"last Net Promoter answer {last}/10")
    open_cases = [c for c in cases if c["status"] in ("open", "pending")]
    if open_cases:
        score -= min(15, 5 * len(open_cases))
        reasons.append(f"{len(open_cases)} open case(s)")
    score = max(0.0, min(100.0, score))
    level = "good" if score >= 65 else ("watch" if score >= 40 else "at risk")
    return {"score": round(score), "level": level, "reasons": reasons}
