"""Business calendars: SLA clocks run only while a team is at work.

A calendar is opening hours on local wall-clock time in one IANA zone, minus holidays, or
always open. Business time is real elapsed time inside opening hours, so a day whose
clocks change is an hour shorter or longer when it is open across the change.

All arithmetic happens on UTC instants of whole opening spans, never minute by minute, so a
resolution target of weeks costs one step per opening, and the spans of each day are
computed once per calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapport.errors import ConfigError, InputError
from rapport.sla.hours import WEEKDAYS, WeeklyHours, check_week, weekly_hours

_ZERO = timedelta(0)
_DAY = timedelta(days=1)
_CLOSED_WEEK: WeeklyHours = ((),) * len(WEEKDAYS)
# Days with no opening, once past the last holiday, after which a calendar never opens (a
# week whose only interval falls into a DST gap is the worst real case).
_IDLE_DAYS = 15
_CACHE_DAYS = 8192

Span = tuple[datetime, datetime]
"""An opening as UTC instants: open from the first, closed from the second."""


def require_aware(at: datetime, what: str = "time") -> datetime:
    """`at` in UTC; a naive time has no single instant, so guessing its zone would shift SLAs."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise InputError(
            f"{what} {at.isoformat()} has no time zone; pass an aware datetime, e.g."
            " datetime(..., tzinfo=UTC) or one from datetime.now(UTC)"
        )
    return at.astimezone(UTC)


@dataclass(frozen=True)
class BusinessCalendar:
    """When SLA time counts: weekly hours in `timezone`, minus `holidays` (local dates)."""

    timezone: str = "UTC"
    hours: WeeklyHours = _CLOSED_WEEK
    holidays: frozenset[date] = frozenset()
    always_open: bool = False
    name: str = ""
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _spans: dict[date, tuple[Span, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _last_holiday: date = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        where = f"calendar {self.name!r}: " if self.name else ""
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise ConfigError(
                f"{where}unknown time zone {self.timezone!r}; use an IANA name such as"
                " Europe/London, America/New_York or UTC"
            ) from None
        object.__setattr__(self, "_zone", zone)
        try:
            object.__setattr__(self, "hours", check_week(self.hours))
        except ConfigError as error:
            raise ConfigError(f"{where}{error}") from None
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "_last_holiday", max(self.holidays, default=date.min))
        has_hours = any(self.hours)
        if self.always_open and (has_hours or self.holidays):
            raise ConfigError(
                f"{where}an always-open calendar takes no hours or holidays; to close on"
                " holidays, give it hours {mon-sun: '00:00-24:00'} and the holidays instead"
            )
        if not self.always_open and not has_hours:
            raise ConfigError(
                f"{where}has no opening hours, so its SLA clocks would never run; give it"
                " hours such as {mon-fri: '09:00-17:30'} or set always_open: true"
            )

    @classmethod
    def always(cls, name: str = "always") -> BusinessCalendar:
        """Open 24/7: business time is plain elapsed time."""
        return cls(always_open=True, name=name)

    @classmethod
    def weekly(
        cls,
        timezone: str,
        hours: Mapping[str, str | Sequence[str]],
        holidays: Iterable[date] = (),
        *,
        name: str = "",
    ) -> BusinessCalendar:
        """A calendar from door-sign hours, e.g. `{"mon-fri": "09:00-17:30"}`."""
        try:
            week = weekly_hours(hours)
        except ConfigError as error:
            raise ConfigError(f"calendar {name!r}: {error}" if name else str(error)) from None
        return cls(timezone=timezone, hours=week, holidays=frozenset(holidays), name=name)

    def __reduce__(self) -> tuple[object, ...]:
        # Pickle by value without the per-day cache; a copy rebuilds it where it runs.
        return (
            BusinessCalendar,
            (self.timezone, self.hours, self.holidays, self.always_open, self.name),
        )

    def is_open(self, at: datetime) -> bool:
        instant = require_aware(at, "is_open(at)")
        if self.always_open:
            return True
        start, _ = next(self._spans_from(instant))
        return start <= instant

    def next_open(self, at: datetime) -> datetime:
        """`at` itself when open, else the next opening (in `at`'s time zone)."""
        instant = require_aware(at, "next_open(at)")
        if self.always_open:
            return at
        start, _ = next(self._spans_from(instant))
        return max(start, instant).astimezone(at.tzinfo)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The earliest instant by which `duration` of business time has passed since `start`.

        A clock started while closed begins at the next opening; a target used up exactly at
        closing time is due at closing time, not at the next opening. The answer is in
        `start`'s time zone.
        """
        instant = require_aware(start, "add(start)")
        if duration < _ZERO:
            raise InputError(f"add() needs a duration of zero or more, not {duration}")
        if duration == _ZERO:
            return start
        if self.always_open:
            return (instant + duration).astimezone(start.tzinfo)
        remaining = duration
        for span_start, span_end in self._spans_from(instant):
            begin = max(span_start, instant)
            if remaining <= span_end - begin:
                return (begin + remaining).astimezone(start.tzinfo)
            remaining -= span_end - begin
        raise AssertionError("unreachable: _spans_from never ends")  # pragma: no cover

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Business time from `start` to `end`, negative if `end` is earlier (as `end - start`)."""
        first, last = require_aware(start, "between(start)"), require_aware(end, "between(end)")
        if last < first:
            return -self.between(end, start)
        if self.always_open:
            return last - first
        total = _ZERO
        for span_start, span_end in self._spans_from(first):
            if span_start >= last:
                break
            total += min(span_end, last) - max(span_start, first)
        return total

    def _spans_from(self, instant: datetime) -> Iterator[Span]:
        """Openings in order, from the one containing or following `instant`, without end."""
        day = instant.astimezone(self._zone).date() - _DAY
        idle = 0
        while True:
            spans = self._day_spans(day)
            for span in spans:
                if span[1] > instant:
                    yield span
            idle = 0 if spans else idle + 1
            if idle > _IDLE_DAYS and day > self._last_holiday:
                raise ConfigError(
                    f"calendar {self.name or self.timezone!r} does not open on any day after"
                    f" {day - _IDLE_DAYS * _DAY}; check its hours against its time zone's"
                    " clock changes"
                )
            day += _DAY

    def _day_spans(self, day: date) -> tuple[Span, ...]:
        cached = self._spans.get(day)
        if cached is not None:
            return cached
        spans: tuple[Span, ...] = ()
        if day not in self.holidays:
            pairs = (
                (self._instant(day, iv.start), self._instant(day, iv.end))
                for iv in self.hours[day.weekday()]
            )
            spans = tuple((start, end) for start, end in pairs if end > start)
        if len(self._spans) >= _CACHE_DAYS:
            self._spans.clear()
        self._spans[day] = spans
        return spans

    def _instant(self, day: date, minute: int) -> datetime:
        """The first UTC instant at which the local clock on `day` shows `minute` or later.

        An ambiguous wall time (clocks going back) is its first occurrence. A wall time in
        a gap (clocks going forward) never shows, so it is the moment of the jump: opening
        hours stay in order and a day's intervals never overlap the next day's.
        """
        wall = datetime.combine(day, time()) + timedelta(minutes=minute)
        instant = wall.replace(tzinfo=self._zone).astimezone(UTC)
        if instant.astimezone(self._zone).replace(tzinfo=None) == wall:
            return instant
        # In a gap, fold=0 reads the wall time with the offset before the jump (an instant
        # after it) and fold=1 with the offset after it (an instant before it).
        low = int(wall.replace(tzinfo=self._zone, fold=1).timestamp())
        high = int(instant.timestamp())
        while low + 1 < high:
            middle = (low + high) // 2
            local = datetime.fromtimestamp(middle, self._zone).replace(tzinfo=None)
            if local >= wall:
                high = middle
            else:
                low = middle
        return datetime.fromtimestamp(high, UTC)
