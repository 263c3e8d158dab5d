"""Staffing a desk around the clock: agents needed, agents rostered, and who waits.

Every week profile here is 168 numbers, hour of the week in the desk's time zone, Monday
00:00 first (see :func:`rapport.measure.forecast.hour_of_week`).

A schedule spec is a mapping with a ``timezone`` and either

- day ranges mapped to hours, all with the top-level ``agents`` (default 1):
  ``{"mon-fri": "09:00-22:00", "timezone": "America/New_York", "agents": 6}``; a value may
  also be a list of ranges or ``{"hours": "22:00-06:00", "agents": 2}``;
- ``"shifts": [{"days": "sat-sun", "hours": "00:00-24:00", "agents": 2}, ...]``; or
- ``"hours": [168 agent counts]``.

Day names are ``mon`` .. ``sun`` (ranges may wrap, ``fri-mon``), or ``daily``. Times are whole
hours; a range ending at or before its start runs past midnight. Overlapping shifts add up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rapport.measure.erlang import agents_needed
from rapport.measure.forecast import HOURS_PER_WEEK, hour_of_week

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOUR = timedelta(hours=1)


def _label(hour: int) -> str:
    return f"{DAYS[hour // 24].capitalize()} {hour % 24:02d}:00"


def _check_week(values: Sequence[float], name: str) -> None:
    if len(values) != HOURS_PER_WEEK:
        raise ValueError(f"{name} needs {HOURS_PER_WEEK} hourly values, got {len(values)}")


def staffing_plan(
    forecast_per_hour: Sequence[float],
    handle_seconds: float,
    target_seconds: float,
    service_level: float = 0.8,
    max_occupancy: float = 0.85,
    shrinkage: float = 0.0,
    minimum_agents: int = 0,
) -> list[int]:
    """Agents needed in each of the 168 hours (Erlang C, see :func:`agents_needed`).

    ``minimum_agents`` keeps someone on duty in quiet hours (a 24/7 desk wants at least 1).
    """
    _check_week(forecast_per_hour, "forecast_per_hour")
    args = (handle_seconds, target_seconds, service_level, max_occupancy, shrinkage)
    return [max(minimum_agents, agents_needed(calls, *args)) for calls in forecast_per_hour]


def _days(text: str) -> list[int]:
    text = text.strip().lower()
    if text in ("daily", "everyday", "all"):
        return list(range(7))
    first, _, last = text.partition("-")
    try:
        a, b = DAYS.index(first.strip()[:3]), DAYS.index((last or first).strip()[:3])
    except ValueError:
        raise ValueError(f"unknown day range {text!r}") from None
    return [(a + i) % 7 for i in range((b - a) % 7 + 1)]


def _clock(text: str) -> int:
    hour, _, minute = text.strip().partition(":")
    if not hour.isdigit() or minute not in ("", "00") or not 0 <= int(hour) <= 24:
        raise ValueError(f"times must be whole hours like 09:00, got {text!r}")
    return int(hour)


def _hours(days: str, hours: str) -> list[int]:
    """Hours of the week covered by ``hours`` ("09:00-22:00") on each day in ``days``."""
    start_text, sep, end_text = hours.partition("-")
    if not sep:
        raise ValueError(f"hours must look like 09:00-22:00, got {hours!r}")
    start, end = _clock(start_text), _clock(end_text)
    length = end - start if end > start else end - start + 24
    return [(day * 24 + start + i) % HOURS_PER_WEEK for day in _days(days) for i in range(length)]


@dataclass(frozen=True, slots=True)
class Schedule:
    """Agents on duty in each hour of the week, in the desk's time zone."""

    agents: tuple[int, ...]
    timezone: ZoneInfo

    def __post_init__(self) -> None:
        _check_week(self.agents, "agents")
        if any(a < 0 for a in self.agents):
            raise ValueError("agent counts must be >= 0")

    @classmethod
    def from_hours(cls, agents: Sequence[int], timezone: str | ZoneInfo) -> Schedule:
        zone = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)
        return cls(tuple(int(a) for a in agents), zone)

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> Schedule:
        """Build from a spec (see the module docstring)."""
        if "timezone" not in spec:
            raise ValueError("a schedule spec needs a timezone")
        zone = ZoneInfo(str(spec["timezone"]))
        if "hours" in spec:
            return cls.from_hours(spec["hours"], zone)
        default = int(spec.get("agents", 1))
        agents = [0] * HOURS_PER_WEEK
        shifts = [
            (s["days"], s["hours"], int(s.get("agents", default))) for s in spec.get("shifts", ())
        ]
        for key, value in spec.items():
            if key in ("timezone", "agents", "shifts"):
                continue
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, Mapping):
                    shifts.append((key, item["hours"], int(item.get("agents", default))))
                else:
                    shifts.append((key, str(item), default))
        for days, hours, count in shifts:
            for hour in _hours(days, hours):
                agents[hour] += count
        return cls(tuple(agents), zone)

    def on_duty(self, moment: datetime) -> int:
        """Agents on duty at an aware ``moment``."""
        return self.agents[hour_of_week(_aware(moment), self.timezone)]

    @property
    def closed_hours(self) -> int:
        """Hours of the week with nobody on duty."""
        return sum(1 for a in self.agents if a == 0)


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"arrival times must be timezone-aware, got {moment.isoformat()}")
    return moment


@dataclass(frozen=True, slots=True)
class Gap:
    """An hour of the week with fewer agents rostered than needed."""

    hour_of_week: int
    needed: int
    scheduled: int
    short: int

    @property
    def label(self) -> str:
        """``"Fri 23:00"``."""
        return _label(self.hour_of_week)


def _profile(scheduled: Schedule | Sequence[int]) -> Sequence[int]:
    profile = scheduled.agents if isinstance(scheduled, Schedule) else scheduled
    _check_week(profile, "scheduled")
    return profile


def gaps(needed: Sequence[int], scheduled: Schedule | Sequence[int]) -> list[Gap]:
    """Hours of the week where the roster falls short of ``needed``, in hour order."""
    _check_week(needed, "needed")
    profile = _profile(scheduled)
    return [
        Gap(hour, need, have, need - have)
        for hour, (need, have) in enumerate(zip(needed, profile, strict=True))
        if need > have
    ]


def wait_until_staffed(arrival: datetime, schedule: Schedule) -> timedelta | None:
    """Time from ``arrival`` until someone is on duty: zero if staffed, None if never."""
    local = _aware(arrival).astimezone(schedule.timezone)
    if schedule.agents[hour_of_week(local)] > 0:
        return timedelta(0)
    hour_start = local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    # A week and a day of hours covers any daylight-saving shift.
    for step in range(1, HOURS_PER_WEEK + 25):
        candidate = hour_start + step * _HOUR
        if schedule.agents[hour_of_week(candidate, schedule.timezone)] > 0:
            return candidate - arrival
    return None


def waiting_share(
    arrivals: Sequence[datetime],
    schedule: Schedule,
    threshold: timedelta = timedelta(hours=1),
) -> float:
    """Share of ``arrivals`` (urgent posts) that came in while nobody was on duty and waited
    longer than ``threshold`` for the next staffed hour; 0.0 for no arrivals."""
    if not arrivals:
        return 0.0
    waited = 0
    for arrival in arrivals:
        wait = wait_until_staffed(arrival, schedule)
        if wait is None or wait > threshold:
            waited += 1
    return waited / len(arrivals)


@dataclass(frozen=True, slots=True)
class Cover:
    """The smallest roster change that closes every gap: raise each short hour to the need."""

    schedule: Schedule
    added_agent_hours: int
    shifts: tuple[dict[str, Any], ...]
    """The whole new roster in ``Schedule.from_spec`` "shifts" form."""
    added: tuple[dict[str, Any], ...]
    """Only the change: extra agents per shift, in the same form."""

    @property
    def spec(self) -> dict[str, Any]:
        return {"timezone": self.schedule.timezone.key, "shifts": [*self.shifts]}

    @property
    def around_the_clock(self) -> bool:
        return self.schedule.closed_hours == 0

    def describe(self) -> str:
        if not self.added:
            return "The roster already covers the need."
        head = "24/7" if self.around_the_clock else "extended hours"
        lines = [f"Move to {head}: add {self.added_agent_hours} agent-hours a week."]
        lines += [f"  + {_shift_text(s)}" for s in self.added]
        lines.append("New roster:")
        lines += [f"  {_shift_text(s)}" for s in self.shifts]
        return "\n".join(lines)


def _shift_text(shift: Mapping[str, Any]) -> str:
    agents = shift["agents"]
    return f"{shift['days']} {shift['hours']}: {agents} agent{'s' if agents != 1 else ''}"


def _shifts(profile: Sequence[int]) -> tuple[dict[str, Any], ...]:
    """Describe a 168-hour profile as day ranges of constant-level shifts (no overlaps)."""
    per_day: list[tuple[tuple[int, int, int], ...]] = []
    for day in range(7):
        hours = profile[day * 24 : day * 24 + 24]
        runs: list[tuple[int, int, int]] = []
        start = 0
        for hour in range(1, 25):
            if hour == 24 or hours[hour] != hours[start]:
                if hours[start] > 0:
                    runs.append((start, hour, hours[start]))
                start = hour
        per_day.append(tuple(runs))
    out: list[dict[str, Any]] = []
    day = 0
    while day < 7:
        last = day
        while last + 1 < 7 and per_day[last + 1] == per_day[day]:
            last += 1
        days = DAYS[day] if last == day else f"{DAYS[day]}-{DAYS[last]}"
        for start, end, agents in per_day[day]:
            out.append({"days": days, "hours": f"{start:02d}:00-{end:02d}:00", "agents": agents})
        day = last + 1
    return tuple(out)


def covering_schedule(
    needed: Sequence[int],
    scheduled: Schedule | Sequence[int] | None = None,
    timezone: str | ZoneInfo | None = None,
) -> Cover:
    """Propose the roster ``max(scheduled, needed)`` hour by hour.

    It adds exactly the missing agent-hours, the least any roster closing the gaps can add.
    The time zone comes from ``scheduled`` when it is a :class:`Schedule`, else ``timezone``
    (UTC if neither).
    """
    _check_week(needed, "needed")
    profile = _profile(scheduled) if scheduled is not None else [0] * HOURS_PER_WEEK
    if isinstance(scheduled, Schedule):
        zone = scheduled.timezone
    else:
        zone = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone or "UTC")
    new = [max(need, have) for need, have in zip(needed, profile, strict=True)]
    extra = [n - have for n, have in zip(new, profile, strict=True)]
    return Cover(
        schedule=Schedule(tuple(new), zone),
        added_agent_hours=sum(extra),
        shifts=_shifts(new),
        added=_shifts(extra),
    )
