"""What the case desk is told about a batch's threads, and the plan it makes of them.

The store hands the facts (`DeskFacts`, `OpenSurvey`); the desk, which reads no SQL, returns
a `DeskPlan`; the store applies it in the batch's transaction. Cases the plan opens have no
id until then, so the plan names them by their place among its openings (`Opening`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from rapport.records import Alert, Enrichment, Envelope, Post, Priority, RoutingDecision


@dataclass(frozen=True, slots=True)
class Seen:
    """A stored post as one tenant's workflow decided it: that tenant's queue (None where it
    did not route the post) and the priority by that tenant's weights and rules."""

    envelope: Envelope
    routing: RoutingDecision | None
    priority: Priority | None

    @property
    def post(self) -> Post:
        return self.envelope.post

    @property
    def stored_id(self) -> int | None:
        return self.envelope.stored_id

    @property
    def enrichment(self) -> Enrichment | None:
        return self.envelope.enrichment


def seen_by(tenant: str, envelope: Envelope) -> Seen:
    """The envelope as `tenant` decided it."""
    for route in envelope.routes:
        if route.tenant == tenant:
            return Seen(envelope, route.decision, route.priority)
    return Seen(envelope, None, envelope.priority)


@dataclass(frozen=True, slots=True)
class Opening:
    """The `index`-th case the plan opens."""

    index: int


CaseRef = int | Opening  # a stored case's id, or a case the plan opens


@dataclass(frozen=True, slots=True)
class OpenSurvey:
    """A survey question still waiting for its answer."""

    id: int
    tenant: str
    case_id: int
    network: str
    question_message_id: str
    customer_id: str
    team: str
    lang: str | None


@dataclass(frozen=True, slots=True)
class ThreadCase:
    """A case in one of the batch's threads, whatever its state."""

    case_id: int
    network: str
    conversation_id: str
    customer_id: str
    status: str
    resolved_at: datetime | None


@dataclass(frozen=True, slots=True)
class DeskFacts:
    """What the store knows that the desk's decisions need, read once per batch."""

    conversations: Mapping[int, str]  # post id -> its thread's root, as stored
    open_in_threads: Mapping[tuple[str, str], tuple[int, ...]]  # (network, thread) -> cases
    reposted: Mapping[tuple[str, str], int]  # (network, source id) -> the post's case
    thread_cases: tuple[ThreadCase, ...]  # oldest first
    fingerprint_cases: Mapping[tuple[str, str], int]  # (fingerprint, team) -> newest open


@dataclass(frozen=True, slots=True)
class NewCase:
    """A case to open, with the columns it starts with."""

    tenant: str
    network: str
    conversation_id: str
    customer_id: str
    customer_handle: str
    team: str
    priority: float
    reasons: str  # JSON, as the case stores it
    tags: tuple[str, ...]
    skills: tuple[str, ...]
    lang: str | None
    intent: str | None
    fingerprint: str | None
    root_post_id: int
    latest_post_id: int
    post_count: int
    duplicate_count: int
    opened_at: datetime
    updated_at: datetime
    sla_policy: str
    escalated: bool


@dataclass(frozen=True, slots=True)
class CaseGrowth:
    """What a batch adds to a stored case: its posts, and a priority and tags at least these."""

    case_id: int
    posts: int
    duplicates: int
    priority: float
    reasons: str | None
    latest_post_id: int | None
    updated_at: datetime | None
    reopen: bool  # back to open: a resolved case reopened or a pending one woken
    tags: frozenset[str]


@dataclass(frozen=True, slots=True)
class CaseLink:
    post_id: int
    case: CaseRef
    role: str  # message | duplicate | repost


@dataclass(frozen=True, slots=True)
class CaseEvent:
    case: CaseRef
    at: datetime
    kind: str
    actor: str
    detail: str = "{}"  # JSON


@dataclass(frozen=True, slots=True)
class OptOut:
    network: str
    customer_id: str
    at: datetime


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    survey_id: int
    answered_at: datetime
    score: int
    answer_post_id: int
    follow_up: CaseRef | None


@dataclass(frozen=True, slots=True)
class DeskPlan:
    """Everything one batch does to one tenant's cases, in the order the store writes it."""

    tenant: str = "default"
    alerts: tuple[Alert, ...] = ()
    openings: tuple[NewCase, ...] = ()
    links: tuple[CaseLink, ...] = ()
    growths: tuple[CaseGrowth, ...] = ()
    events: tuple[CaseEvent, ...] = ()
    opt_outs: tuple[OptOut, ...] = ()
    answers: tuple[SurveyAnswer, ...] = ()
    opened: tuple[CaseRef, ...] = ()
    joined: tuple[CaseRef, ...] = ()
    folded: tuple[CaseRef, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseChanges:
    """What one batch did to cases: for the caller's counters and for live updates."""

    opened: tuple[int, ...] = ()
    joined: tuple[int, ...] = ()
    folded: tuple[int, ...] = ()
