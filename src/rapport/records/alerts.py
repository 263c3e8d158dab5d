"""Alerts as the store keeps them: what was detected, and how its webhook delivery went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class StoredAlert:
    """A spike, viral post, SLA breach or rule alert, once per (kind, subject, window);
    `delivery` is none, pending, delivered or failed."""

    id: int
    kind: str
    subject_kind: str
    subject: str
    window_start: datetime | None
    detected_at: datetime | None
    count: int
    expected: float
    z: float
    message: str
    delivery: str
    attempts: int
    last_error: str | None


@dataclass(frozen=True, slots=True)
class AlertPage:
    items: list[StoredAlert]
    next_cursor: int | None
