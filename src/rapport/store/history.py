"""Stored posts back as pipeline envelopes, with what the models said and their priority.

A dry-run of workflow rules reads history through this, so it sees each post exactly as the
route stage saw it when the post arrived.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import msgspec
import orjson
import sqlalchemy as sa

from rapport.records import (
    Author,
    Enrichment,
    Envelope,
    Factor,
    Label,
    Post,
    Priority,
    PublicMetrics,
    Urgency,
)
from rapport.store import schema
from rapport.store.database import Database
from rapport.store.rows import as_utc

_PAGE = 2000


def _label(label: str | None, score: float | None) -> Label | None:
    return Label(label=label, score=float(score or 0.0)) if label is not None else None


def envelope_from_row(row: Any) -> Envelope:
    r = row._mapping
    created = as_utc(r["created_at"])
    assert created is not None
    post = Post(
        network=r["network"],
        source_id=r["source_id"],
        author=Author(
            source_id=r["author_source_id"],
            handle=r["author_handle"],
            followers=int(r["followers"] or 0),
            verified=bool(r["verified"]),
        ),
        text=r["text"],
        created_at=created,
        conversation_id=r["conversation_id"],
        reply_to_id=r["reply_to_id"],
        lang=r["lang"],
        links=tuple(orjson.loads(r["links"])),
        domains=tuple(orjson.loads(r["domains"])),
        hashtags=tuple(orjson.loads(r["hashtags"])),
        mentions=tuple(orjson.loads(r["mentions"])),
        has_media=bool(r["has_media"]),
        metrics=PublicMetrics(likes=r["likes"], reposts=r["reposts"], replies=r["replies"]),
    )
    complaint = r["complaint_score"]
    classes = orjson.loads(r["classes"] or "{}")
    enrichment = Enrichment(
        lang=r["lang"] or "und",
        sentiment=_label(r["sentiment"], r["sentiment_score"]),
        intent=_label(r["intent"], r["intent_score"]),
        team=r["team"],
        complaint=Label(label="complaint", score=float(complaint))
        if complaint is not None
        else None,
        urgency=Urgency(level=r["urgency"], reasons=tuple(orjson.loads(r["urgency_reasons"])))
        if r["urgency"] is not None
        else None,
        classes=tuple((name, Label(**label)) for name, label in classes.items()),
    )
    factors = msgspec.json.decode(r["priority_factors"] or "[]", type=tuple[Factor, ...])
    priority = None
    if r["priority"] is not None:
        # Rules see the score as it was before any rule changed it, as on arrival.
        scored = [f for f in factors if f.name != "rule"]
        adjusted = sum(f.contribution for f in factors if f.name == "rule")
        priority = Priority(score=round(float(r["priority"]) - adjusted, 2), factors=tuple(scored))
    return Envelope(post=post, enrichment=enrichment, priority=priority, stored_id=r["id"])


def analysed_since(database: Database, since: datetime) -> Iterator[Envelope]:
    """Every analysed post created at or after `since`, oldest first, read page by page."""
    posts, analyses, authors = schema.posts, schema.analyses, schema.authors
    query = (
        sa.select(posts, analyses, authors.c.followers, authors.c.verified)
        .select_from(
            posts.join(analyses, analyses.c.post_id == posts.c.id).outerjoin(
                authors,
                (authors.c.network == posts.c.network)
                & (authors.c.source_id == posts.c.author_source_id),
            )
        )
        .where(posts.c.created_at >= since)
        .order_by(posts.c.id)
    )
    last = 0
    while True:
        with database.reading() as conn:
            page = conn.execute(query.where(posts.c.id > last).limit(_PAGE)).all()
        if not page:
            return
        for row in page:
            yield envelope_from_row(row)
        last = page[-1]._mapping["id"]


def linked_domains(database: Database) -> Iterator[tuple[str, str, int]]:
    """(domain, author handle, author followers) for every link in stored posts."""
    posts, authors = schema.posts, schema.authors
    query = (
        sa.select(posts.c.domains, posts.c.author_handle, authors.c.followers)
        .select_from(
            posts.join(
                authors,
                (authors.c.network == posts.c.network)
                & (authors.c.source_id == posts.c.author_source_id),
            )
        )
        .where(posts.c.domains != "[]")
    )
    with database.reading() as conn:
        for domains, handle, followers in conn.execution_options(yield_per=5000).execute(query):
            for domain in orjson.loads(domains):
                yield domain, handle, int(followers or 0)
