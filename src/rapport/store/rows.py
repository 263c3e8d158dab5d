"""Conversions between records and table rows, shared by both backends."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from hashlib import sha256
from typing import Any

import msgspec
import orjson

from rapport.records import Author, Envelope, Post, Rejected

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


_JSON_LIST_COLUMNS = ("links", "domains", "hashtags", "mentions", "cashtags", "media_types")


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
                msgspec.json.encode(envelope.routing).decode(),
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


def post_from_row(row: Any) -> dict[str, Any]:
    """A stored post as the JSON the API returns."""
    data = dict(row._mapping)
    for name in _JSON_LIST_COLUMNS:
        data[name] = orjson.loads(data[name])
    data["created_at"] = as_utc(data["created_at"])
    data["ingested_at"] = as_utc(data["ingested_at"])
    data.pop("search", None)
    analysis = {name: data.pop(name, None) for name in ANALYSIS_COLUMNS[1:]}
    data.pop("post_id", None)
    if analysis["sentiment"] is not None or analysis["intent"] is not None:
        analysis["urgency_reasons"] = orjson.loads(analysis["urgency_reasons"] or "[]")
        analysis["classes"] = orjson.loads(analysis["classes"] or "{}")
        analysis["priority_factors"] = orjson.loads(analysis["priority_factors"] or "[]")
        analysis["routing"] = orjson.loads(analysis["routing"] or "null")
        data["analysis"] = analysis
    else:
        data["analysis"] = None
    return data


def chunked(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
