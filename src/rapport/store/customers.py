"""One customer across handles and networks (`customer_handles`).

An author with no row is a customer of their own, with id "network:author_source_id".
Linking handles gives them one generated id ("c_" and 32 hex digits), merging the
customers they belonged to; unlinking a handle makes it a customer of its own again, and a
group left with one handle dissolves. Rows are keyed by tenant and handle: each tenant
links the handles it sees its own way, and never sees another's links.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any, cast

import orjson
import sqlalchemy as sa

from rapport.errors import NotFound
from rapport.records.customers import (
    Addressee,
    CustomerCase,
    CustomerHandle,
    CustomerNote,
    Handle,
    SentimentDay,
)
from rapport.store import schema
from rapport.store.rows import as_utc

SENTIMENT_DAYS = 90
NOTES = 20


def natural_id(handle: Handle) -> str:
    return f"{handle[0]}:{handle[1]}"


def customer_of(conn: sa.Connection, tenant: str, handle: Handle) -> tuple[str, list[Handle]]:
    """The customer id of `handle` in `tenant`, and all of that customer's handles."""
    links = schema.customer_handles
    found = conn.execute(
        sa.select(links.c.customer_id).where(
            links.c.network == handle[0],
            links.c.author_source_id == handle[1],
            links.c.tenant == tenant,
        )
    ).scalar()
    if found is None:
        return natural_id(handle), [handle]
    return str(found), _members(conn, tenant, str(found))


def _members(conn: sa.Connection, tenant: str, customer_id: str) -> list[Handle]:
    links = schema.customer_handles
    rows = conn.execute(
        sa.select(links.c.network, links.c.author_source_id)
        .where(links.c.tenant == tenant, links.c.customer_id == customer_id)
        .order_by(links.c.network, links.c.author_source_id)
    )
    return [(r.network, r.author_source_id) for r in rows]


def known_authors(conn: sa.Connection, handles: list[Handle]) -> dict[Handle, str]:
    """Which of `handles` are stored authors, with their handle (screen name)."""
    authors = schema.authors
    if not handles:
        return {}
    rows = conn.execute(
        sa.select(authors.c.network, authors.c.source_id, authors.c.handle).where(
            sa.tuple_(authors.c.network, authors.c.source_id).in_(handles)
        )
    )
    return {(r.network, r.source_id): r.handle for r in rows}


def customer_handles(conn: sa.Connection, handles: list[Handle]) -> tuple[CustomerHandle, ...]:
    """The handles with their screen names (None for an author never stored)."""
    names = known_authors(conn, handles)
    return tuple(CustomerHandle(n, a, names.get((n, a))) for n, a in handles)


def link(conn: sa.Connection, tenant: str, handles: list[Handle], *, now: datetime) -> str:
    """Make `handles` (and every handle of the customers they belong to) one customer;
    returns its id."""
    links = schema.customer_handles
    rows = conn.execute(
        sa.select(
            links.c.network, links.c.author_source_id, links.c.tenant, links.c.customer_id
        ).where(
            links.c.tenant == tenant,
            sa.tuple_(links.c.network, links.c.author_source_id).in_(handles),
        )
    ).all()
    groups = sorted({str(r.customer_id) for r in rows})
    target = groups[0] if groups else f"c_{uuid.uuid4().hex}"
    if len(groups) > 1:
        conn.execute(
            sa.update(links)
            .where(links.c.tenant == tenant, links.c.customer_id.in_(groups[1:]))
            .values(customer_id=target)
        )
    linked = {(r.network, r.author_source_id) for r in rows}
    new = [h for h in handles if h not in linked]
    if new:
        conn.execute(
            sa.insert(links),
            [{"network": n, "author_source_id": a, "tenant": tenant, "customer_id": target,
              "linked_at": now} for n, a in new],
        )  # fmt: skip
    return target


def unlink(conn: sa.Connection, tenant: str, handle: Handle) -> tuple[str, list[Handle]]:
    """Make `handle` a customer of its own again; returns the customer it left and that
    customer's remaining handles (none when the group dissolved)."""
    links = schema.customer_handles
    customer_id, members = customer_of(conn, tenant, handle)
    if members == [handle] and customer_id == natural_id(handle):
        raise NotFound(f"{natural_id(handle)} is not linked to another handle")
    remaining = [h for h in members if h != handle]
    gone = [handle, *remaining] if len(remaining) <= 1 else [handle]
    conn.execute(
        sa.delete(links).where(
            links.c.tenant == tenant,
            sa.tuple_(links.c.network, links.c.author_source_id).in_(gone),
        )
    )
    return customer_id, remaining if len(remaining) > 1 else []


def _by_handles(network: Any, source: Any, handles: list[Handle]) -> Any:
    return sa.tuple_(network, source).in_(handles)


def customer_cases(
    conn: sa.Connection, tenant: str, handles: list[Handle], *, limit: int, offset: int
) -> list[CustomerCase]:
    """The customer's cases in `tenant`, newest first."""
    cases, posts = schema.cases, schema.posts
    query = (
        sa.select(
            cases.c.id,
            cases.c.status,
            cases.c.team,
            cases.c.priority,
            cases.c.opened_at,
            cases.c.network,
            cases.c.customer_handle,
            cases.c.tags,
            posts.c.text.label("latest_text"),
        )
        .select_from(cases.join(posts, posts.c.id == cases.c.latest_post_id))
        .where(cases.c.tenant == tenant, _by_handles(cases.c.network, cases.c.customer_id, handles))
        .order_by(cases.c.opened_at.desc(), cases.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [
        CustomerCase(
            id=r.id, status=r.status, team=r.team, priority=r.priority,
            opened_at=_utc(r.opened_at), network=r.network, customer_handle=r.customer_handle,
            tags=tuple(orjson.loads(r.tags)), latest_text=r.latest_text,
        )
        for r in conn.execute(query)
    ]  # fmt: skip


def customer_tags(conn: sa.Connection, tenant: str, handles: list[Handle]) -> list[str]:
    cases = schema.cases
    rows = conn.execute(
        sa.select(cases.c.tags).where(
            cases.c.tenant == tenant, _by_handles(cases.c.network, cases.c.customer_id, handles)
        )
    )
    return sorted({tag for (tags,) in rows for tag in orjson.loads(tags)})


def customer_notes(conn: sa.Connection, tenant: str, handles: list[Handle]) -> list[CustomerNote]:
    """The latest notes on the customer's cases, newest first."""
    cases, notes = schema.cases, schema.case_notes
    query = (
        sa.select(notes.c.id, notes.c.case_id, notes.c.user_id, notes.c.text, notes.c.created_at)
        .select_from(notes.join(cases, cases.c.id == notes.c.case_id))
        .where(cases.c.tenant == tenant, _by_handles(cases.c.network, cases.c.customer_id, handles))
        .order_by(notes.c.created_at.desc(), notes.c.id.desc())
        .limit(NOTES)
    )
    return [
        CustomerNote(r.id, r.case_id, r.user_id, r.text, _utc(r.created_at))
        for r in conn.execute(query)
    ]


def customer_sentiment(
    conn: sa.Connection, authored: sa.ColumnElement[bool], *, now: datetime
) -> list[SentimentDay]:
    """Per day (UTC) of the last 90, how many of the customer's posts (`authored`, from
    `Database.posts_of`) the models read as negative, neutral and positive; days without
    posts are left out."""
    posts, analyses = schema.posts, schema.analyses
    since = now - timedelta(days=SENTIMENT_DAYS)
    rows = conn.execute(
        sa.select(posts.c.created_at, analyses.c.sentiment)
        .select_from(posts.join(analyses, analyses.c.post_id == posts.c.id))
        .where(authored)
        .where(posts.c.created_at >= since)
    )
    days: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for created_at, sentiment in rows:
        moment = as_utc(created_at)
        if moment is not None and sentiment in ("negative", "neutral", "positive"):
            days[moment.date().isoformat()][sentiment] += 1
    return [
        SentimentDay(day, c["negative"], c["neutral"], c["positive"])
        for day, c in sorted(days.items())
    ]


def customer_post_count(conn: sa.Connection, authored: sa.ColumnElement[bool]) -> int:
    """How many posts the customer wrote (`authored`, from `Database.posts_of`)."""
    query = sa.select(sa.func.count()).select_from(schema.posts).where(authored)
    return int(conn.execute(query).scalar_one())


def case_addressee(conn: sa.Connection, case_id: int, tenant: str) -> Addressee:
    """The customer a case addresses; NotFound when it is missing or another tenant's."""
    cases, authors = schema.cases, schema.authors
    case = conn.execute(
        sa.select(cases.c.lang, cases.c.network, cases.c.customer_id, cases.c.customer_handle)
        .where(cases.c.id == case_id, cases.c.tenant == tenant)
    ).first()  # fmt: skip
    if case is None:
        raise NotFound(f"no case with id {case_id}")
    display = conn.execute(
        sa.select(authors.c.display_name).where(
            authors.c.network == case.network, authors.c.source_id == case.customer_id
        )
    ).scalar()
    return Addressee(case_id, case.lang, case.network, case.customer_id, case.customer_handle,
                     display)  # fmt: skip


def _utc(value: datetime) -> datetime:
    # The column is NOT NULL, so as_utc never answers None here.
    return cast(datetime, as_utc(value))
