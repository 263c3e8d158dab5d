"""SLA policies, and the records an SLA clock answers with.

A policy is up to three targets measured on one business calendar:

- `first_response`: from the case opening to the first agent reply,
- `next_response`: from a customer's message (after an agent replied) to the next reply,
- `resolution`: from the case opening to its resolution, minus time waiting on the customer.

A target is `ok`, then `warning` once `warn_at` of it is used, then `breached` at its due
instant, or `met` when the reply or resolution came in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from rapport.errors import ConfigError
from rapport.sla.calendar import BusinessCalendar
from rapport.sla.durations import format_duration

TargetName = Literal["first_response", "next_response", "resolution"]
TARGETS: tuple[TargetName, ...] = ("first_response", "next_response", "resolution")
State = Literal["ok", "warning", "breached", "met"]
TransitionKind = Literal["warning", "breach"]

# Event kinds the clock reacts to; others (notes, assignments, ...) are ignored.
OPENED = "opened"
CUSTOMER_MESSAGE = "customer_message"
AGENT_REPLY = "agent_reply"
WAITING_ON_CUSTOMER = "waiting_on_customer"
RESOLVED = "resolved"
REOPENED = "reopened"
EVENT_KINDS = frozenset(
    {OPENED, CUSTOMER_MESSAGE, AGENT_REPLY, WAITING_ON_CUSTOMER, RESOLVED, REOPENED}
)


class ClockEvent(Protocol):
    """What the clock reads of an event; `records.CaseEvent` is one."""

    @property
    def at(self) -> datetime: ...

    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class SlaEvent:
    """A minimal `ClockEvent`, for callers without `CaseEvent` records at hand."""

    at: datetime
    kind: str


@dataclass(frozen=True)
class SlaPolicy:
    """Targets in business time on `calendar`; a target left `None` is not measured."""

    name: str
    calendar: BusinessCalendar
    first_response: timedelta | None = None
    next_response: timedelta | None = None
    resolution: timedelta | None = None
    warn_at: float = 0.75

    def __post_init__(self) -> None:
        for target in TARGETS:
            limit = self.limit(target)
            if limit is not None and limit <= timedelta(0):
                raise ConfigError(
                    f"policy {self.name!r}: {target} is {format_duration(limit)}; give a"
                    " target longer than zero, or leave it out to not measure it"
                )
        if not 0 < self.warn_at <= 1:
            raise ConfigError(
                f"policy {self.name!r}: warn_at is {self.warn_at:g}; give the share of a target"
                " after which it warns, above 0 and at most 1 (0.75 warns at three quarters)"
            )

    def limit(self, target: TargetName) -> timedelta | None:
        limit: timedelta | None = getattr(self, target)
        return limit


@dataclass(frozen=True)
class TargetStatus:
    """One target of one case at one instant.

    `used` and `remaining` are business time; `remaining` goes negative once breached, so it
    also says by how much. `due` is when the target is (or was) due; it is `None` while the
    case waits on the customer, since the clock is stopped and no deadline is known.
    """

    target: TargetName
    limit: timedelta
    state: State
    started_at: datetime
    used: timedelta
    remaining: timedelta
    due: datetime | None
    warns_at: datetime | None
    met_at: datetime | None = None
    paused: bool = False
    cycle: int = 0  # for next_response: which customer turn (1, 2, ...); 0 otherwise


@dataclass(frozen=True)
class SlaStatus:
    """A case's SLA at one instant, as a queue lists it.

    `state` is the worst of the targets (breached, warning, ok, met). `next_due` is the
    earliest deadline of a target still running, overdue ones included, which is what a
    queue sorts by; `next_change` is the next warning or breach still to come, which is when
    a scheduler should look again.
    """

    policy: str
    at: datetime
    state: State
    first_response: TargetStatus | None
    next_response: TargetStatus | None
    resolution: TargetStatus | None
    next_due: datetime | None
    next_change: datetime | None
    paused: bool

    def targets(self) -> tuple[TargetStatus, ...]:
        found = (self.first_response, self.next_response, self.resolution)
        return tuple(status for status in found if status is not None)


@dataclass(frozen=True)
class SlaTransition:
    """A target crossing its warning share or its deadline: emit an alert or escalate."""

    at: datetime
    target: TargetName
    kind: TransitionKind
    cycle: int = 0
