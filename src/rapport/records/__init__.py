"""The records a post travels as: frozen, typed values that serialise to JSON and back.

Every stage, store and API speaks these types; nothing else crosses a module boundary.
`Post` and `Author` are what the network told us (after normalisation); `Enrichment`,
`Priority`, `RoutingDecision` and `Case` are what Rapport concludes about them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

# What both databases hold (`store/schema.py`): BIGINT counters, and the widths of the
# VARCHAR columns. Bounds checked here, in msgspec's C decoder, cost the hot path nothing,
# and a value past them is quarantined instead of failing the whole batch at insert.
MAX_BIGINT = 2**63 - 1
MAX_ID_CHARS = 64
Count = Annotated[int, msgspec.Meta(ge=0, le=MAX_BIGINT)]
Network = Annotated[str, msgspec.Meta(max_length=32)]
SourceId = Annotated[str, msgspec.Meta(max_length=MAX_ID_CHARS)]
Handle = Annotated[str, msgspec.Meta(max_length=128)]
Language = Annotated[str, msgspec.Meta(max_length=16)]


class Record(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=False, gc=False):
    """Base of every record: immutable, keyword-only, JSON-serialisable.

    `gc=False`: records hold only strings, numbers, times, tuples and other records, so
    they can never form a reference cycle, and keeping millions of them out of the cycle
    collector's sight halves the cost of decoding and normalising a batch.
    """


class PublicMetrics(Record, frozen=True, kw_only=True):
    """Engagement counters the network reports for a post at the time we saw it."""

    likes: Count = 0
    reposts: Count = 0
    replies: Count = 0
    quotes: Count = 0
    views: Count | None = None


class Author(Record, frozen=True, kw_only=True):
    """The account that wrote a post, as the network describes it."""

    source_id: SourceId
    handle: Handle
    display_name: str = ""
    followers: Count = 0
    following: Count = 0
    verified: bool = False
    post_count: Count = 0
    created_at: datetime | None = None


class Post(Record, frozen=True, kw_only=True):
    """One post from one network, identified by (network, source_id).

    `links` are the URLs as posted (expanded where the network gave the expansion);
    `domains` are their registered domains, filled in by normalisation. The entity
    tuples are lower-cased and de-duplicated, without their `#`, `@` or `$` sigils.
    """

    network: Network
    source_id: SourceId
    author: Author
    text: str
    created_at: datetime
    conversation_id: SourceId | None = None
    reply_to_id: SourceId | None = None
    quote_of_id: SourceId | None = None
    repost_of_id: SourceId | None = None
    lang: Language | None = None
    links: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    cashtags: tuple[str, ...] = ()
    has_media: bool = False
    media_types: tuple[str, ...] = ()
    metrics: PublicMetrics = PublicMetrics()


class Label(Record, frozen=True, kw_only=True):
    """A model's answer with its probability."""

    label: str
    score: float


class Urgency(Record, frozen=True, kw_only=True):
    """How soon a person should look, and why."""

    level: str  # critical | high | normal | low
    reasons: tuple[str, ...] = ()


class Enrichment(Record, frozen=True, kw_only=True):
    """What Rapport's models concluded about a post. Fields stay None until a model fills them."""

    lang: str = "und"
    lang_score: float = 0.0
    sentiment: Label | None = None
    intent: Label | None = None
    team: str | None = None
    complaint: Label | None = None
    urgency: Urgency | None = None
    alerts: tuple[str, ...] = ()  # alert words found (fraud, loss, complaint, negative cues)
    classes: tuple[tuple[str, Label], ...] = ()


class Factor(Record, frozen=True, kw_only=True):
    """One term of an explainable score: value times weight, with the reason in words."""

    name: str
    value: float
    weight: float
    reason: str

    @property
    def contribution(self) -> float:
        return self.value * self.weight


class Priority(Record, frozen=True, kw_only=True):
    """A 0-100 score that is the sum of its factors' contributions."""

    score: float
    factors: tuple[Factor, ...] = ()


class RoutingDecision(Record, frozen=True, kw_only=True):
    """Where the workflow sent a post and which rule sent it there."""

    rule_id: str | None = None
    team: str | None = None
    queue: str | None = None
    tags: tuple[str, ...] = ()
    suppressed: bool = False
    reasons: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()  # what the agent it is assigned to needs: "fraud", "lang:es"
    acknowledge: str | None = None  # an acknowledgement template to answer with at once
    notify: bool = False  # raise a rule alert


class TenantRoute(Record, frozen=True, kw_only=True):
    """What one tenant's workflow decided for a post that tenant listens to: its queue, and
    the priority by that tenant's weights and rules."""

    tenant: str
    decision: RoutingDecision
    priority: Priority | None = None


class Case(Record, frozen=True, kw_only=True):
    """A unit of care work: one customer's thread in one team's queue.

    Retweets and near-duplicates of its posts fold into it (`duplicate_count`) instead of
    opening cases of their own. `next_due` is the earliest pending SLA deadline.
    """

    id: int
    tenant: str = "default"
    network: str
    conversation_id: str
    customer_id: str
    customer_handle: str
    team: str
    status: str = "open"  # open | pending (waiting on the customer) | resolved
    priority: float = 0.0
    reasons: tuple[Factor, ...] = ()
    tags: tuple[str, ...] = ()
    lang: str | None = None
    intent: str | None = None
    root_post_id: int
    latest_post_id: int
    post_count: int = 1
    duplicate_count: int = 0
    opened_at: datetime
    updated_at: datetime
    resolved_at: datetime | None = None
    sla_policy: str = ""
    sla_state: str = "ok"  # ok | warning | breached | met
    next_due: datetime | None = None
    escalated: bool = False
    assignee_id: int | None = None
    claimed_at: datetime | None = None
    snoozed_until: datetime | None = None


class CaseEvent(Record, frozen=True, kw_only=True):
    """Something that happened to a case; the SLA clock is computed from these."""

    case_id: int
    at: datetime
    kind: str  # opened | customer_message | agent_reply | waiting_on_customer | resolved | ...
    actor: str = ""
    detail: str = ""


class Alert(Record, frozen=True, kw_only=True):
    """A volume spike (or a post going viral) worth a person's attention."""

    id: int | None = None
    kind: str  # spike | viral
    subject_kind: str  # query | hashtag | intent | url | post
    subject: str
    window_start: datetime
    detected_at: datetime
    count: int
    expected: float
    z: float
    message: str


class Rejected(Record, frozen=True, kw_only=True):
    """A record that could not be accepted, kept aside with the reason and where it came from."""

    source: str  # a file path or an HTTP request id
    location: str  # "line 12", "row 7", "item 3"
    format: str
    reason: str
    raw: bytes


class Envelope(Record, frozen=True, kw_only=True):
    """A post travelling through the pipeline together with what stages have learned about it."""

    post: Post
    enrichment: Enrichment | None = None
    priority: Priority | None = None
    # One per tenant that listens to the post; `priority` above is the post's own score by
    # the install's weights, before any tenant's.
    routes: tuple[TenantRoute, ...] = ()
    matches: tuple[str, ...] = ()  # listening queries the post matched, "tenant/query"
    spikes: tuple[str, ...] = ()  # "kind:key" of volume spikes the post is part of
    stored_id: int | None = None
    duplicate: bool = False


class Batch(Record, frozen=True, kw_only=True):
    """The unit every stage consumes and produces: accepted posts plus the rejects seen so far."""

    source: str
    items: tuple[Envelope, ...] = ()
    rejects: tuple[Rejected, ...] = ()
    alerts: tuple[Alert, ...] = ()  # raised by this batch's posts; stored with them
    sequence: int = 0
    received_at: float = 0.0  # epoch seconds when the ingest accepted it; 0 when unknown
