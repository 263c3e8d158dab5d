"""A resolved case as its survey sees it, and what decides whether to ask again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SurveyTarget:
    """A case as its survey needs it, with the customer's latest message to answer."""

    case_id: int
    tenant: str
    network: str
    conversation_id: str
    customer_id: str
    customer_handle: str
    team: str
    status: str
    assignee_id: int | None
    intent: str | None
    lang: str | None
    latest_message: str | None


@dataclass(frozen=True, slots=True)
class SurveyHistory:
    """What decides whether to ask again: this case's surveys, the customer's last, opt-out."""

    asked_for_case: int
    last_asked_customer_at: datetime | None
    opted_out: bool
