"""Conversions between records and table rows, shared by both backends."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from hashlib import sha256
from typing import Any

import msgspec
import orjson

from rapport.records import Author, Envelope, Post, Rejected
from rapport.records.posts import Analysis, StoredAuthor, StoredPost

POST_COLUMNS = (
    "network",
    "source_id",
    "author_source_id",
    "author_handle",
    "text",
    "created_at",
    "ingested_at",
    "conversation_id",
    "reply_to_id",
    "quote_of_id",
    "repost_of_id",
    "lang",
    "links",
    "domains",
    "hashtags",
    "mentions",
    "cashtags",
    "has_media",
    "media_types",
    "likes",
    "reposts",
    "replies",
    "quotes",
    "views",
)

AUTHOR_COLUMNS = (
    "network",
    "source_id",
    "handle",
    "display_name",
    "followers",
    "following",
    "verified",
    "post_count",
    "created_at",
    "updated_at",
)

ANALYSIS_COLUMNS = (
    "post_id",
    "sentiment",
    "sentiment_score",
    "intent",
    "intent_score",
    "team",
    "complaint_score",
    "urgency",
    "urgency_reasons",
    "classes",
    "priority",
    "priority_factors",
    "routing",
)

QUARANTINE_COLUMNS = (
    "source",
    "location",
    "format",
    "reason",
    "raw",
    "raw_sha256",
    "status",
    "created_at",
)

# Shared by both backends' SQL: the newest description of an author wins.
AUTHOR_CONFLICT = (
    "ON CONFLICT (network, source_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in AUTHOR_COLUMNS[2:])
    + " WHERE excluded.updated_at >= authors.updated_at"
)
QUARANTINE_CONFLICT = "ON CONFLICT (source, location, raw_sha256) DO NOTHING"
ANALYSIS_CONFLICT = "ON CONFLICT (post_id) DO NOTHING"


def insert_sql(table: str, columns: Sequence[str], marker: str, conflict: str) -> str:
    """INSERT of one row per parameter set, with `marker` as the driver's placeholder."""
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"VALUES ({', '.join(marker for _ in columns)}) {conflict}"
    )


def _json(items: tuple[str, ...]) -> str:
    return orjson.dumps(items).decode() if items else "[]"


def post_row(
    post: Post, conversation_id: str, ingested_at: Any, created_at: Any
) -> tuple[Any, ...]:
    m = post.metrics
    return (
        post.network,
        post.source_id,
        post.author.source_id,
        post.author.handle,
        post.text,
        created_at,
        ingested_at,
        conversation_id,
        post.reply_to_id,
        post.quote_of_id,
        post.repost_of_id,
        post.lang,
        _json(post.links),
        _json(post.domains),
        _json(post.hashtags),
        _json(post.mentions),
        _json(post.cashtags),
        post.has_media,
        _json(post.media_types),
        m.likes,
        m.reposts,
        m.replies,
        m.quotes,
        m.views,
    )


def analysis_rows(
    ids: dict[tuple[str, str], int], analyses: Mapping[tuple[str, str], Envelope]
) -> list[tuple[Any, ...]]:
    """Rows for the analyses of posts this batch stored (a duplicate keeps its first analysis)."""
    found = []
    for key, envelope in analyses.items():
        post_id = ids.get(key)
        e = envelope.enrichment
        if post_id is None or e is None:
            continue
        priority = envelope.priority
        complaint = None
        if e.complaint is not None:  # stored as P(complaint), whichever way the label points
            c = e.complaint
            complaint = c.score if c.label == "complaint" else round(1.0 - c.score, 4)
        found.append(
            (
                post_id,
                e.sentiment.label if e.sentiment else None,
                e.sentiment.score if e.sentiment else None,
                e.intent.label if e.intent else None,
                e.intent.score if e.intent else None,
                e.team,
                complaint,
                e.urgency.level if e.urgency else None,
                _json(e.urgency.reasons) if e.urgency else "[]",
                orjson.dumps(
                    {name: {"label": c.label, "score": c.score} for name, c in e.classes}
                ).decode(),
                priority.score if priority is not None else None,
                msgspec.json.encode(priority.factors).decode() if priority is not None else "[]",
                _routes_json(envelope),
            )
        )
    return found


def author_row(
    network: str,
    author: Author,
    seen: datetime,
    timestamp: Callable[[datetime], Any],
    *,
    absent: Any = None,
    flag: Callable[[bool], Any] = bool,
) -> tuple[Any, ...]:
    """An authors row. `absent` and `flag` let a driver bind cheaper stand-ins for an
    unknown creation time and for `verified` (SQLite: 0 under `nullif(?, 0)`, and 1/0)."""
    return (
        network,
        author.source_id,
        author.handle,
        author.display_name,
        author.followers,
        author.following,
        flag(author.verified),
        author.post_count,
        timestamp(author.created_at) if author.created_at else absent,
        timestamp(seen),
    )


def quarantine_row(reject: Rejected, now: Any) -> tuple[Any, ...]:
    return (
        reject.source,
        reject.location,
        reject.format,
        reject.reason,
        reject.raw,
        sha256(reject.raw).hexdigest(),
        "open",
        now,
    )


def as_utc(value: datetime | None) -> datetime | None:
    """Datetimes come back naive from SQLite (stored as UTC) and aware from PostgreSQL."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _routes_json(envelope: Envelope) -> str:
    """Each tenant's decision and priority for the post: readers see only their tenant's."""
    return orjson.dumps([
        {"tenant": route.tenant, "decision": msgspec.to_builtins(route.decision),
         "priority": route.priority.score if route.priority is not None else None}
        for route in envelope.routes
    ]).decode()  # fmt: skip


def _route_of(text: str | None, tenant: str) -> tuple[dict[str, Any] | None, float | None]:
    """The tenant's decision and priority, from the column; rows stored before tenants had
    routes hold the one decision, the operator's."""
    found = orjson.loads(text or "null")
    if isinstance(found, dict):
        return (found, None) if tenant == "default" else (None, None)
    for route in found or ():
        if route["tenant"] == tenant:
            return route["decision"], route["priority"]
    return None, None


def post_from_row(row: Any, tenant: str) -> StoredPost:
    """A stored post as `tenant` sees it, joined with its analysis (absent for posts ingested
    without models): its routing and priority are that tenant's, or none."""
    r = row._mapping
    analysis = None
    if r["sentiment"] is not None or r["intent"] is not None:
        routing, score = _route_of(r["routing"], tenant)
        analysis = Analysis(
            sentiment=r["sentiment"],
            sentiment_score=r["sentiment_score"],
            intent=r["intent"],
            intent_score=r["intent_score"],
            team=r["team"],
            complaint_score=r["complaint_score"],
            urgency=r["urgency"],
            urgency_reasons=orjson.loads(r["urgency_reasons"] or "[]"),
            classes=orjson.loads(r["classes"] or "{}"),
            priority=r["priority"] if score is None else score,
            priority_factors=orjson.loads(r["priority_factors"] or "[]"),
            routing=routing,
        )
    created_at, ingested_at = as_utc(r["created_at"]), as_utc(r["ingested_at"])
    assert created_at is not None  # NOT NULL columns
    assert ingested_at is not None
    return StoredPost(
        id=int(r["id"]),
        network=r["network"],
        source_id=r["source_id"],
        author_source_id=r["author_source_id"],
        author_handle=r["author_handle"],
        text=r["text"],
        created_at=created_at,
        ingested_at=ingested_at,
        conversation_id=r["conversation_id"],
        reply_to_id=r["reply_to_id"],
        quote_of_id=r["quote_of_id"],
        repost_of_id=r["repost_of_id"],
        lang=r["lang"],
        links=orjson.loads(r["links"]),
        domains=orjson.loads(r["domains"]),
        hashtags=orjson.loads(r["hashtags"]),
        mentions=orjson.loads(r["mentions"]),
        cashtags=orjson.loads(r["cashtags"]),
        has_media=bool(r["has_media"]),
        media_types=orjson.loads(r["media_types"]),
        likes=int(r["likes"]),
        reposts=int(r["reposts"]),
        replies=int(r["replies"]),
        quotes=int(r["quotes"]),
        views=r["views"],
        analysis=analysis,
    )


def author_from_row(row: Any) -> StoredAuthor:
    r = row._mapping
    updated_at = as_utc(r["updated_at"])
    assert updated_at is not None  # a NOT NULL column
    return StoredAuthor(
        id=int(r["id"]),
        network=r["network"],
        source_id=r["source_id"],
        handle=r["handle"],
        display_name=r["display_name"],
        followers=int(r["followers"]),
        following=int(r["following"]),
        verified=bool(r["verified"]),
        post_count=int(r["post_count"]),
        created_at=as_utc(r["created_at"]),
        updated_at=updated_at,
    )


def chunked(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
