"""Replies in the outbox, and what a reply to a case answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Reply:
    """An agent's reply as the outbox holds it.

    `status`: sending, sent, failed, unknown (the request left, no answer came),
    pending_approval or rejected.
    """

    id: int
    case_id: int
    tenant: str
    user_id: int | None
    network: str
    in_reply_to: str | None
    text: str
    private: bool
    status: str
    idempotency_key: str
    message_id: str | None
    error: str | None
    created_at: datetime
    sent_at: datetime | None
    approved_by: int | None


@dataclass(frozen=True, slots=True)
class HeldReply(Reply):
    """A reply waiting for approval, with its case's team and its author's name for the
    supervisor who reviews it."""

    team: str
    author: str | None


@dataclass(frozen=True, slots=True)
class ReplyTarget:
    """Where a reply to a case goes: its customer, and the customer's newest post in it."""

    case_id: int
    tenant: str
    team: str
    network: str
    customer_id: str
    customer_handle: str
    lang: str | None
    in_reply_to: str
    conversation_id: str | None


@dataclass(frozen=True, slots=True)
class PendingReplies:
    """A page of replies waiting for approval; `next_cursor` continues after the last."""

    items: list[HeldReply]
    next_cursor: int | None
