"""Care work that happened before Rapport was started, written in bulk (the demo's weeks of
history): a case on one stored post, its first answer, its resolution, and maybe a rating."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class PastCase:
    post_id: int
    network: str
    conversation_id: str | None
    customer_id: str
    customer_handle: str
    team: str
    priority: float
    tags: tuple[str, ...]
    lang: str | None
    intent: str | None
    sla_policy: str
    breached: bool
    opened: datetime
    replied: datetime
    resolved: datetime
    agent: str
    score: int | None  # the Net Promoter answer, when the customer gave one
    answered: datetime
    tenant: str = "default"
