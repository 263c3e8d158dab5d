"""Posts, threads and authors as the store gives them back: the public listening stream,
with what the models said of each post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the models said of a stored post, and the priority and route it got."""

    sentiment: str | None
    sentiment_score: float | None
    intent: str | None
    intent_score: float | None
    team: str | None
    complaint_score: float | None
    urgency: str | None
    urgency_reasons: list[str]
    classes: dict[str, dict[str, Any]]
    priority: float | None
    priority_factors: list[dict[str, Any]]
    routing: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class StoredPost:
    """A post as stored, under its id; `analysis` is None for posts stored without models."""

    id: int
    network: str
    source_id: str
    author_source_id: str
    author_handle: str
    text: str
    created_at: datetime
    ingested_at: datetime
    conversation_id: str
    reply_to_id: str | None
    quote_of_id: str | None
    repost_of_id: str | None
    lang: str | None
    links: list[str]
    domains: list[str]
    hashtags: list[str]
    mentions: list[str]
    cashtags: list[str]
    has_media: bool
    media_types: list[str]
    likes: int
    reposts: int
    replies: int
    quotes: int
    views: int | None
    analysis: Analysis | None


@dataclass(frozen=True, slots=True)
class PostsPage:
    """Posts newest first (oldest first after an id); `next_cursor` pages further."""

    items: list[StoredPost]
    next_cursor: int | None


@dataclass(frozen=True, slots=True)
class ThreadPage:
    items: list[StoredPost]
    next_offset: int | None


@dataclass(frozen=True, slots=True)
class StoredAuthor:
    """An author as last described by the network."""

    id: int
    network: str
    source_id: str
    handle: str
    display_name: str
    followers: int
    following: int
    verified: bool
    post_count: int
    created_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Stats:
    posts: int
    quarantined_open: int
    by_lang: dict[str, int]


@dataclass(frozen=True, slots=True)
class RejectNote:
    """Where in a request a record was rejected, and why (it is kept in quarantine)."""

    where: str
    reason: str


@dataclass(frozen=True, slots=True)
class Ingested:
    """A request's posts stored inline: `ids` in request order, duplicates included."""

    request_id: str
    stored: int
    duplicates: int
    quarantined: int
    rejects: list[RejectNote]
    ids: list[int | None]


@dataclass(frozen=True, slots=True)
class Accepted:
    """A request's posts handed to the bus workers, to be stored later."""

    request_id: str
    accepted: int
    quarantined: int
    rejects: list[RejectNote]


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    """A record that could not be accepted, kept whole with why and where it came from;
    `status` is "open" until it is replayed."""

    id: int
    source: str
    location: str
    format: str
    reason: str
    raw: bytes
    raw_sha256: str
    status: str
    created_at: datetime
    resolved_at: datetime | None
