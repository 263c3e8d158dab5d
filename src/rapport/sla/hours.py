"""Weekly opening hours, written the way a shop door shows them.

    mon-fri: "09:00-17:30"
    sat: "10:00-12:00, 13:00-16:00"     # or a list of intervals

Times are local wall-clock times in the calendar's zone. An interval may end at 24:00 but
may not cross midnight: the next day starts its own interval, so each day's hours stand
alone and a DST change can only shorten or lengthen a day, never reorder it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeAlias

from rapport.errors import ConfigError

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_OF = {name: i for i, name in enumerate(WEEKDAYS)} | {n: i for i, n in enumerate(_FULL_NAMES)}
_DAY_OF |= {"daily": -1, "everyday": -1}
_INTERVAL = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")
_MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, order=True)
class Interval:
    """Open from `start` to `end`, in minutes after local midnight (1440 is 24:00)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= _MINUTES_PER_DAY:
            raise ConfigError(
                f"{self} is not an interval within one day; use HH:MM-HH:MM from 00:00 to 24:00"
                " with the end after the start"
            )

    @classmethod
    def parse(cls, text: str) -> Interval:
        match = _INTERVAL.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ConfigError(
                f"{text!r} is not an interval such as '09:00-17:30' (HH:MM-HH:MM, 24-hour clock)"
            )
        start_h, start_m, end_h, end_m = (int(group) for group in match.groups())
        if start_h > 23 or start_m > 59 or end_m > 59 or end_h > 24 or (end_h == 24 and end_m):
            raise ConfigError(f"{text!r} has a time that is not on a 24-hour clock (00:00-24:00)")
        start, end = start_h * 60 + start_m, end_h * 60 + end_m
        if end == start:
            raise ConfigError(f"{text!r} is empty; leave the day out to keep it closed")
        if end < start:
            raise ConfigError(
                f"{text!r} ends before it starts; an interval may not cross midnight, so split"
                " it: '22:00-24:00' on one day and '00:00-06:00' on the next"
            )
        return cls(start, end)

    def __str__(self) -> str:
        return f"{_clock(self.start)}-{_clock(self.end)}"


WeeklyHours: TypeAlias = tuple[tuple[Interval, ...], ...]
"""Seven tuples of intervals, Monday first (the index is `date.weekday()`)."""


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_days(text: str) -> tuple[int, ...]:
    """Weekday numbers (Monday 0) of `mon-fri`, `sat`, `mon,wed,fri`, `fri-mon` or `daily`."""
    days: list[int] = []
    for part in str(text).lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in _DAY_OF or (last and last not in _DAY_OF):
            raise ConfigError(
                f"{text!r} is not a day or a range of days; use {', '.join(WEEKDAYS)}, a range"
                " such as 'mon-fri', a list such as 'mon,wed', or 'daily'"
            )
        start, end = _DAY_OF[first], _DAY_OF[last or first]
        if start == -1 or end == -1:
            days += range(7)
            continue
        days += [(start + step) % 7 for step in range((end - start) % 7 + 1)]
    return tuple(sorted(set(days)))


def parse_intervals(value: str | Sequence[str]) -> tuple[Interval, ...]:
    """Intervals from one string (commas between intervals) or a list of strings."""
    texts = value.split(",") if isinstance(value, str) else list(value)
    if not texts or not all(isinstance(text, str) for text in texts):
        raise ConfigError(f"{value!r} is not an interval or a list of intervals like '09:00-17:30'")
    return tuple(Interval.parse(text) for text in texts)


def weekly_hours(spec: Mapping[str, str | Sequence[str]]) -> WeeklyHours:
    """Opening hours from `{days: intervals}`; a day named twice gets both sets of intervals."""
    week: list[list[Interval]] = [[] for _ in WEEKDAYS]
    for days, intervals in spec.items():
        try:
            parsed = parse_intervals(intervals)
            for day in parse_days(days):
                week[day] += parsed
        except ConfigError as error:
            raise ConfigError(f"hours {days!r}: {error}") from None
    return check_week(tuple(tuple(day) for day in week))


def check_week(hours: Sequence[Sequence[Interval]]) -> WeeklyHours:
    """Hours sorted per day, refused when a day has overlapping intervals or the week is not 7."""
    if len(hours) != len(WEEKDAYS):
        raise ConfigError(f"weekly hours need 7 days (Monday first), not {len(hours)}")
    week = tuple(tuple(sorted(day)) for day in hours)
    for name, day in zip(WEEKDAYS, week, strict=True):
        for before, after in pairwise(day):
            if after.start < before.end:
                raise ConfigError(
                    f"hours on {name}: {before} overlaps {after}; give each open period once"
                )
    return week
