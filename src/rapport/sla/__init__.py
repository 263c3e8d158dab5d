"""Service levels: business calendars, SLA policies, and the clock of each case.

Pure logic on times and events, with no database: `care` keeps cases and their events, and
asks a `SlaClock` what each case's deadlines are. See docs/sla.md.
"""

from rapport.sla.calendar import BusinessCalendar
from rapport.sla.clock import SlaClock
from rapport.sla.config import SlaConfig
from rapport.sla.durations import format_duration, parse_duration
from rapport.sla.hours import Interval
from rapport.sla.policy import (
    AGENT_REPLY,
    CUSTOMER_MESSAGE,
    EVENT_KINDS,
    OPENED,
    REOPENED,
    RESOLVED,
    TARGETS,
    WAITING_ON_CUSTOMER,
    ClockEvent,
    SlaEvent,
    SlaPolicy,
    SlaStatus,
    SlaTransition,
    State,
    TargetName,
    TargetStatus,
)

__all__ = [
    "AGENT_REPLY",
    "CUSTOMER_MESSAGE",
    "EVENT_KINDS",
    "OPENED",
    "REOPENED",
    "RESOLVED",
    "TARGETS",
    "WAITING_ON_CUSTOMER",
    "BusinessCalendar",
    "ClockEvent",
    "Interval",
    "SlaClock",
    "SlaConfig",
    "SlaEvent",
    "SlaPolicy",
    "SlaStatus",
    "SlaTransition",
    "State",
    "TargetName",
    "TargetStatus",
    "format_duration",
    "parse_duration",
]
