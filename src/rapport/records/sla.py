"""A case's SLA clock as the store keeps it, and the verdict of judging it again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class CaseClock:
    """What the store holds of one case's clock: enough to judge it again and tell a change."""

    case_id: int
    team: str
    policy: str  # "" for a case opened before policies were recorded
    state: str
    next_due: datetime | None
    next_change: datetime | None
    resolved: bool
    tenant: str = "default"  # whose SLA book judges it


@dataclass(frozen=True, slots=True)
class ClockReading:
    """A clock's new columns; `escalate` when it has just breached."""

    case_id: int
    state: str
    next_due: datetime | None
    next_change: datetime | None
    escalate: bool


@dataclass(frozen=True, slots=True)
class ClockVerdicts:
    """Judging some clocks: the readings that differ from the stored ones, and the (case id,
    event) transitions into warning or breach to record once."""

    readings: tuple[ClockReading, ...]
    transitions: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class BreachedCase:
    """A case whose clock has just breached, as its alert names it."""

    case_id: int
    team: str
    customer_handle: str
