"""Customers: sets of linked handles across networks, and what the brand knows of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

Handle = tuple[str, str]  # (network, author_source_id)


@dataclass(frozen=True, slots=True)
class Addressee:
    """Whom a case's replies address: the customer's handle and display name, and the
    case's language."""

    case_id: int
    lang: str | None
    network: str
    customer_id: str
    customer_handle: str
    display_name: str | None


@dataclass(frozen=True, slots=True)
class CustomerHandle:
    """One of a customer's handles; `handle` is the screen name, None for an unknown author."""

    network: str
    author_source_id: str
    handle: str | None


@dataclass(frozen=True, slots=True)
class CustomerCase:
    id: int
    status: str
    team: str
    priority: int
    opened_at: datetime
    network: str
    customer_handle: str
    tags: tuple[str, ...]
    latest_text: str


@dataclass(frozen=True, slots=True)
class CustomerNote:
    id: int
    case_id: int
    user_id: int | None
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SentimentDay:
    """How many of the customer's posts of one day (UTC) read negative, neutral, positive."""

    day: str
    negative: int
    neutral: int
    positive: int


@dataclass(frozen=True, slots=True)
class NpsAnswer:
    case_id: int
    at: datetime
    score: int


@dataclass(frozen=True, slots=True)
class Health:
    """0-100 and a level (good, watch, at risk), with the reasons that moved it from 70."""

    score: int
    level: str
    reasons: tuple[str, ...]


# The timeline: one record per kind of moment, each with when (`at`) and what (`kind`).


@dataclass(frozen=True, slots=True)
class PostMoment:
    at: datetime
    text: str
    sentiment: str | None
    post_id: int
    kind: str = "post"


@dataclass(frozen=True, slots=True)
class CaseOpened:
    at: datetime
    case_id: int
    team: str
    kind: str = "case_opened"


@dataclass(frozen=True, slots=True)
class CaseChanged:
    """`kind`: case_resolved or case_reopened."""

    at: datetime
    case_id: int
    kind: str


@dataclass(frozen=True, slots=True)
class ReplyMoment:
    at: datetime
    case_id: int
    text: str
    private: bool
    status: str
    kind: str = "reply"


@dataclass(frozen=True, slots=True)
class SurveyMoment:
    at: datetime
    case_id: int
    score: int | None
    kind: str = "survey"


@dataclass(frozen=True, slots=True)
class RecommendationMoment:
    """`kind`: recommendation_shown, recommendation_used or recommendation_taken_up."""

    at: datetime
    case_id: int
    item: str
    kind: str


Moment = PostMoment | CaseOpened | CaseChanged | ReplyMoment | SurveyMoment | RecommendationMoment


@dataclass(frozen=True, slots=True)
class Customer:
    """One customer: their handles, their cases in the tenant (a page, newest first), and
    what the brand knows of them."""

    customer_id: str
    handles: tuple[CustomerHandle, ...]
    cases: tuple[CustomerCase, ...]
    next_offset: int | None
    sentiment: tuple[SentimentDay, ...]
    tags: tuple[str, ...]
    notes: tuple[CustomerNote, ...]
    posts: int
    nps_history: tuple[NpsAnswer, ...]
    time_engaged_minutes: float
    health: Health
    timeline: tuple[Moment, ...]


@dataclass(frozen=True, slots=True)
class LinkedCustomer:
    customer_id: str
    handles: tuple[CustomerHandle, ...]


@dataclass(frozen=True, slots=True)
class Unlinked:
    """The handle's own customer id now, the customer it `left`, and that customer's
    `remaining` handles (none when the group dissolved)."""

    customer_id: str
    left: str
    remaining: tuple[CustomerHandle, ...]
