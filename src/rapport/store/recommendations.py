"""Recommendation events (an item shown, used or taken up on a case, once each) and the
facts a case's recommendations are matched on; `care/recommend.py` matches them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa

from rapport.errors import NotFound
from rapport.records.recommendations import EVENTS, Facts, ItemStats
from rapport.store import schema

MAX_POSTS = 5  # the customer's latest messages whose words can trigger an item


def ensure_case(conn: sa.Connection, case_id: int, tenant: str) -> None:
    """NotFound unless the case is the tenant's (another tenant's case does not exist)."""
    cases = schema.cases
    found = conn.execute(
        sa.select(cases.c.id).where(cases.c.id == case_id, cases.c.tenant == tenant)
    ).first()
    if found is None:
        raise NotFound(f"no case with id {case_id}")


def case_facts(conn: sa.Connection, case_id: int, tenant: str) -> Facts:
    """The case's intent, language and sentiment (of its latest post), its customer's
    latest words, followers and verified mark; NotFound when it is not the tenant's."""
    cases, authors, analyses = schema.cases, schema.authors, schema.analyses
    posts, case_posts = schema.posts, schema.case_posts
    case = conn.execute(
        sa.select(cases.c.network, cases.c.customer_id, cases.c.lang, cases.c.intent,
                  cases.c.latest_post_id).where(cases.c.id == case_id, cases.c.tenant == tenant)
    ).first()  # fmt: skip
    if case is None:
        raise NotFound(f"no case with id {case_id}")
    author = conn.execute(
        sa.select(authors.c.followers, authors.c.verified).where(
            authors.c.network == case.network, authors.c.source_id == case.customer_id
        )
    ).first()
    analysis = conn.execute(
        sa.select(analyses.c.sentiment, analyses.c.intent).where(
            analyses.c.post_id == case.latest_post_id
        )
    ).first()
    texts = conn.execute(
        sa.select(posts.c.text)
        .join(case_posts, case_posts.c.post_id == posts.c.id)
        .where(case_posts.c.case_id == case_id, case_posts.c.role == "message",
               posts.c.author_source_id == case.customer_id)
        .order_by(posts.c.created_at.desc(), posts.c.id.desc())
        .limit(MAX_POSTS)
    ).scalars()  # fmt: skip
    return Facts(
        intent=case.intent or (analysis.intent if analysis is not None else None),
        text="\n".join(texts),
        lang=case.lang,
        followers=int(author.followers) if author is not None else 0,
        verified=bool(author.verified) if author is not None else False,
        sentiment=analysis.sentiment if analysis is not None else None,
    )


def item_stats(conn: sa.Connection, tenant: str, item_ids: Iterable[str]) -> dict[str, ItemStats]:
    """Per item: on how many of the tenant's cases it was shown, used, taken up."""
    table = schema.recommendation_events
    wanted = sorted(set(item_ids))
    if not wanted:
        return {}
    rows = conn.execute(
        sa.select(table.c.item_id, table.c.event, sa.func.count(sa.distinct(table.c.case_id)))
        .where(table.c.tenant == tenant, table.c.item_id.in_(wanted))
        .group_by(table.c.item_id, table.c.event)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for item_id, event, count in rows:
        counts.setdefault(item_id, {})[event] = int(count)
    return {
        item: ItemStats(c.get("shown", 0), c.get("used", 0), c.get("taken_up", 0))
        for item, c in counts.items()
    }


def case_marks(conn: sa.Connection, case_id: int) -> dict[str, set[str]]:
    """Item id -> the events it already has on this case."""
    table = schema.recommendation_events
    marks: dict[str, set[str]] = {}
    query = sa.select(table.c.item_id, table.c.event).where(table.c.case_id == case_id)
    for item_id, event in conn.execute(query):
        marks.setdefault(item_id, set()).add(event)
    return marks


def record(
    conn: sa.Connection,
    tenant: str,
    case_id: int,
    item_id: str,
    event: str,
    *,
    user_id: int | None = None,
    now: datetime | None = None,
) -> bool:
    """Record the event once per case and item; True when it is new. Using or taking up an
    item also marks it shown, so the counts stay consistent."""
    if event not in EVENTS:
        raise ValueError(f"event {event!r} is not one of {list(EVENTS)}")
    table = schema.recommendation_events
    have = case_marks(conn, case_id).get(item_id, set())
    moment = now or datetime.now(UTC)
    wanted = [e for e in (("shown", event) if event != "shown" else ("shown",)) if e not in have]
    for name in dict.fromkeys(wanted):
        row = {"tenant": tenant, "case_id": case_id, "item_id": item_id, "event": name,
               "user_id": user_id, "at": moment}  # fmt: skip
        conn.execute(sa.insert(table), row)
    return event not in have


def record_shown(
    conn: sa.Connection,
    tenant: str,
    case_id: int,
    item_ids: Iterable[str],
    *,
    user_id: int | None = None,
    now: datetime | None = None,
) -> list[str]:
    """Mark the items shown on the case (once each); returns those newly shown."""
    return [
        item for item in item_ids
        if record(conn, tenant, case_id, item, "shown", user_id=user_id, now=now)
    ]  # fmt: skip
