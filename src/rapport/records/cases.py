"""What the store hands the care desk about cases and the agents who work them.

Plain frozen dataclasses: FastAPI describes them in the OpenAPI document and orjson writes
them as JSON, so a route returns them as they come from the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rapport.records.replies import Reply


@dataclass(frozen=True, slots=True)
class Work:
    """What assignment needs to know of a case."""

    id: int
    lang: str | None
    skills: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Agent:
    """An agent as assignment sees them."""

    id: int
    name: str
    languages: frozenset[str]
    skills: frozenset[str]
    capacity: int
    load: int = 0  # open cases they hold now


@dataclass(frozen=True, slots=True)
class CaseHead:
    """What deciding who may work a case needs, without its posts."""

    id: int
    tenant: str
    team: str
    status: str
    assignee_id: int | None
    assignee_name: str | None
    claimed_at: datetime | None
    snoozed_until: datetime | None


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a case (as the audit log and a refusal name them)."""

    id: int
    name: str | None


@dataclass(frozen=True, slots=True)
class CaseRef:
    """Enough of a case to announce a change to it: whose it is and which queue."""

    id: int
    tenant: str
    team: str


@dataclass(frozen=True, slots=True)
class CaseEventMark:
    """One committed case event, as the relay reads them to announce them elsewhere."""

    id: int
    case_id: int
    kind: str


@dataclass(frozen=True, slots=True)
class Note:
    """An internal note on a case, for the team only."""

    id: int
    user_id: int | None
    author: str
    text: str
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class NotePage:
    items: list[Note]
    next_cursor: int | None


@dataclass(frozen=True, slots=True)
class Assignment:
    """A case given to an agent of its team."""

    case_id: int
    agent_id: int
    team: str


@dataclass(frozen=True, slots=True)
class AssignmentRun:
    """What one run of assignment did: the cases it gave out, and how many found nobody."""

    assigned: int
    unassigned: int


@dataclass(frozen=True, slots=True)
class QueueSummary:
    """One team's queue: open cases (less the snoozed, counted apart), waiting ones, SLA
    breaches and warnings, the next deadline and the top priority."""

    team: str
    open: int
    snoozed: int
    pending: int
    breached: int
    warning: int
    next_due: datetime | None
    top_priority: float | None


@dataclass(frozen=True, slots=True)
class QueueSummaries:
    items: list[QueueSummary]


@dataclass(frozen=True, slots=True)
class Viewer:
    """Someone with the case open on their screen now."""

    user_id: int
    name: str
    typing: bool
    since: datetime


@dataclass(frozen=True, slots=True)
class Viewers:
    viewers: list[Viewer]


@dataclass(frozen=True, slots=True)
class CaseReason:
    """One part of a case's priority: its name, the points it adds, and why."""

    name: str
    points: float
    reason: str


@dataclass(frozen=True, slots=True)
class Assignee:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class CaseFields:
    """A case as its queue and its page show it (every column, and its holder by name)."""

    id: int
    tenant: str
    network: str
    conversation_id: str
    customer_id: str
    customer_handle: str
    team: str
    status: str
    priority: float
    reasons: list[CaseReason]
    tags: list[str]
    skills: list[str]
    lang: str | None
    intent: str | None
    fingerprint: str | None
    root_post_id: int
    latest_post_id: int
    post_count: int
    duplicate_count: int
    opened_at: datetime | None
    updated_at: datetime | None
    resolved_at: datetime | None
    sla_policy: str
    sla_state: str
    next_due: datetime | None
    sla_next_change: datetime | None
    escalated: bool
    assignee_id: int | None
    claimed_at: datetime | None
    snoozed_until: datetime | None
    assignee: Assignee | None


@dataclass(frozen=True, slots=True)
class QueuedCase(CaseFields):
    """A case in its team's queue, with the text of its newest post."""

    latest_text: str


@dataclass(frozen=True, slots=True)
class CasePost:
    """A post of a case: the message, a folded duplicate or a repost (`role`)."""

    id: int
    author: str
    text: str
    created_at: datetime | None
    role: str


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """Something that happened to a case (opened, claimed, replied, breached...)."""

    at: datetime | None
    kind: str
    actor: str
    detail: Any


@dataclass(frozen=True, slots=True)
class CaseDetail(CaseFields):
    """A case with everything in it: posts, events, replies, notes, and who has it open."""

    posts: list[CasePost]
    events: list[CaseEvent]
    replies: list[Reply]
    notes: list[Note]
    viewers: list[Viewer]


@dataclass(frozen=True, slots=True)
class QueuePage:
    items: list[QueuedCase]
    next_offset: int | None
