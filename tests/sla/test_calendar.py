"""Business calendars: hours, weekends, holidays, time zones, DST, and add/between agreeing."""

from __future__ import annotations

import pickle
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from rapport.errors import ConfigError, InputError
from rapport.sla.calendar import BusinessCalendar
from rapport.sla.hours import Interval

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
CHRISTMAS = (date(2026, 12, 25), date(2026, 12, 26))  # a Friday and a Saturday
H = timedelta(hours=1)


def office(zone: str = "Europe/London", holidays: tuple[date, ...] = CHRISTMAS) -> BusinessCalendar:
    return BusinessCalendar.weekly(zone, {"mon-fri": "09:00-17:30"}, holidays, name="office")


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def test_friday_afternoon_case_is_due_on_monday_morning() -> None:
    calendar = office()
    friday = london(2026, 3, 6, 16, 0)

    due = calendar.add(friday, 4 * H)

    assert due == london(2026, 3, 9, 11, 30)
    assert due.tzinfo is LONDON
    assert calendar.between(friday, due) == 4 * H


def test_a_target_used_up_at_closing_time_is_due_at_closing_time() -> None:
    assert office().add(london(2026, 3, 6, 16, 0), 1.5 * H) == london(2026, 3, 6, 17, 30)


def test_is_open_and_next_open() -> None:
    calendar = office()
    assert calendar.is_open(london(2026, 3, 6, 9, 0))
    assert calendar.is_open(london(2026, 3, 6, 17, 29))
    assert not calendar.is_open(london(2026, 3, 6, 17, 30))
    assert not calendar.is_open(london(2026, 3, 7, 12, 0))  # Saturday
    assert not calendar.is_open(london(2026, 12, 25, 12, 0))  # a holiday on a Friday
    assert calendar.next_open(london(2026, 3, 7, 12, 0)) == london(2026, 3, 9, 9, 0)
    inside = london(2026, 3, 9, 10, 15)
    assert calendar.next_open(inside) == inside


def test_a_clock_started_while_closed_starts_at_the_next_opening() -> None:
    calendar = office()
    saturday_night = london(2026, 3, 7, 23, 0)
    assert calendar.add(saturday_night, 2 * H) == london(2026, 3, 9, 11, 0)
    assert calendar.between(saturday_night, london(2026, 3, 9, 9, 0)) == timedelta(0)


def test_holidays_are_skipped() -> None:
    christmas_eve = london(2026, 12, 24, 16, 0)  # Thursday; Fri 25 and Sat 26 are holidays
    assert office().add(christmas_eve, 4 * H) == london(2026, 12, 28, 11, 30)
    assert office(holidays=()).add(christmas_eve, 4 * H) == london(2026, 12, 25, 11, 30)


def test_several_intervals_a_day() -> None:
    calendar = BusinessCalendar.weekly("UTC", {"mon-fri": "09:00-12:00, 13:00-17:00"})
    eleven = datetime(2026, 3, 9, 11, 0, tzinfo=UTC)
    assert calendar.add(eleven, 2 * H) == datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    assert not calendar.is_open(datetime(2026, 3, 9, 12, 30, tzinfo=UTC))
    assert calendar.between(eleven, datetime(2026, 3, 10, 10, 0, tzinfo=UTC)) == 6 * H


def test_the_same_instant_in_two_zones() -> None:
    instant = datetime(2026, 3, 2, 13, 30, tzinfo=UTC)  # a Monday: 13:30 in London, 08:30 in NY
    london_office, new_york_office = office(), office("America/New_York")

    assert london_office.is_open(instant)
    assert not new_york_office.is_open(instant)
    assert london_office.add(instant, H) == datetime(2026, 3, 2, 14, 30, tzinfo=UTC)
    assert new_york_office.add(instant, H) == datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    assert new_york_office.add(instant, H) == datetime(2026, 3, 2, 10, 0, tzinfo=NEW_YORK)


def test_office_hours_follow_the_local_clock_over_a_dst_weekend() -> None:
    calendar = office()
    friday = london(2026, 3, 27, 16, 0)  # GMT; the clocks go forward on Sunday the 29th
    due = calendar.add(friday, 4 * H)
    assert due == london(2026, 3, 30, 11, 30)  # 11:30 BST
    assert due == datetime(2026, 3, 30, 10, 30, tzinfo=UTC)


def test_a_day_open_around_the_clock_is_23_or_25_hours_long_when_the_clocks_change() -> None:
    london_days = BusinessCalendar.weekly("Europe/London", {"daily": "00:00-24:00"})
    spring = london_days.between(london(2026, 3, 29, 0, 0), london(2026, 3, 30, 0, 0))
    autumn = london_days.between(london(2026, 10, 25, 0, 0), london(2026, 10, 26, 0, 0))
    assert (spring, autumn) == (23 * H, 25 * H)
    assert london_days.add(london(2026, 3, 28, 12, 0), 24 * H) == london(2026, 3, 29, 13, 0)

    ny_days = BusinessCalendar.weekly("America/New_York", {"mon-sun": "00:00-24:00"})
    day = datetime(2026, 11, 1, tzinfo=NEW_YORK)
    assert ny_days.between(day, datetime(2026, 11, 2, tzinfo=NEW_YORK)) == 25 * H


def test_hours_inside_a_dst_gap_or_overlap() -> None:
    sunday = {"sun": "01:00-03:00"}
    # 2026-03-08: New York jumps from 02:00 EST to 03:00 EDT, so 01:00-03:00 lasts one hour.
    spring = BusinessCalendar.weekly("America/New_York", sunday)
    assert spring.between(datetime(2026, 3, 7, tzinfo=UTC), datetime(2026, 3, 9, tzinfo=UTC)) == H
    # An opening that starts in the gap opens at the jump.
    gap = BusinessCalendar.weekly("America/New_York", {"sun": "02:30-04:00"})
    assert gap.next_open(datetime(2026, 3, 8, tzinfo=UTC)) == datetime(2026, 3, 8, 7, tzinfo=UTC)
    # 2026-11-01: 01:00-02:00 happens twice; the interval runs from the first 01:00 to 02:00.
    autumn = BusinessCalendar.weekly("America/New_York", {"sun": "01:00-02:00"})
    span = autumn.between(datetime(2026, 10, 31, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC))
    assert span == 2 * H


def test_always_open_is_plain_utc_arithmetic() -> None:
    calendar = BusinessCalendar.always()
    before_dst = datetime(2026, 3, 7, 12, 0, tzinfo=NEW_YORK)
    # Aware arithmetic in one zone is wall-clock arithmetic; business time is real time.
    assert calendar.add(before_dst, 24 * H) == datetime(2026, 3, 8, 13, 0, tzinfo=NEW_YORK)
    assert calendar.between(before_dst, datetime(2026, 3, 8, 12, 0, tzinfo=NEW_YORK)) == 23 * H
    assert calendar.is_open(before_dst)
    assert calendar.next_open(before_dst) == before_dst


def test_every_hour_of_every_day_is_the_same_as_always_open() -> None:
    around_the_clock = BusinessCalendar.weekly("America/New_York", {"daily": "00:00-24:00"})
    always = BusinessCalendar.always()
    rng = random.Random(7)
    for _ in range(200):
        start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(366 * 86400))
        duration = timedelta(seconds=rng.randrange(1, 30 * 86400))
        assert around_the_clock.add(start, duration) == always.add(start, duration)
        end = start + duration
        assert around_the_clock.between(start, end) == always.between(start, end) == duration


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Sydney"])
def test_between_undoes_add(zone: str) -> None:
    calendar = BusinessCalendar.weekly(
        zone,
        {"mon-fri": ["08:00-12:00", "13:00-18:30"], "sat": "10:00-14:00"},
        [*CHRISTMAS, date(2026, 4, 3), date(2027, 1, 1)],
    )
    rng = random.Random(zone)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(300):
        start = base + timedelta(microseconds=rng.randrange(400 * 86400 * 10**6))
        duration = timedelta(microseconds=rng.randrange(1, 200 * 3600 * 10**6))
        due = calendar.add(start, duration)
        assert calendar.between(start, due) == duration
        assert calendar.is_open(due - timedelta(microseconds=1))
        assert calendar.between(due, start) == -duration


def _brute_force_open(instant: datetime) -> bool:
    """An oracle that shares no code with the calendar: read the local clock, minute by minute."""
    local = instant.astimezone(LONDON)
    return (
        local.weekday() < 5
        and local.date() not in CHRISTMAS
        and time(9, 0) <= local.time() < time(17, 30)
    )


def test_add_agrees_with_counting_open_minutes() -> None:
    calendar = office()
    rng = random.Random(3)
    for _ in range(12):
        start = datetime(2026, 3, 20, tzinfo=UTC) + timedelta(minutes=rng.randrange(300 * 1440))
        minutes = rng.randrange(1, 12 * 60)
        moment, counted = start, 0
        while counted < minutes:
            counted += _brute_force_open(moment)
            moment += timedelta(minutes=1)
        assert calendar.add(start, timedelta(minutes=minutes)) == moment


def test_long_durations_step_per_opening_not_per_minute() -> None:
    calendar = office()
    start = london(2026, 1, 5, 9, 0)
    due = calendar.add(start, 850 * H)  # 100 working days
    assert calendar.between(start, due) == 850 * H
    assert due.date() > date(2026, 5, 20)


def test_naive_times_are_refused() -> None:
    with pytest.raises(InputError, match="no time zone"):
        office().is_open(datetime(2026, 3, 6, 10, 0))
    with pytest.raises(InputError, match="no time zone"):
        BusinessCalendar.always().add(datetime(2026, 3, 6, 10, 0), H)


def test_calendars_that_cannot_work_are_refused() -> None:
    with pytest.raises(ConfigError, match="unknown time zone 'Europe/Londn'"):
        BusinessCalendar.weekly("Europe/Londn", {"mon-fri": "09:00-17:30"})
    with pytest.raises(ConfigError, match="no opening hours"):
        BusinessCalendar(timezone="UTC")
    with pytest.raises(ConfigError, match="always-open calendar takes no hours or holidays"):
        BusinessCalendar(always_open=True, holidays=frozenset(CHRISTMAS))
    with pytest.raises(ConfigError, match="overlaps"):
        BusinessCalendar.weekly("UTC", {"mon-fri": "09:00-17:00", "fri": "16:00-18:00"})


def test_intervals_parse_and_print() -> None:
    assert Interval.parse("09:00-17:30") == Interval(540, 1050)
    assert str(Interval.parse(" 0:00 - 24:00 ")) == "00:00-24:00"
    with pytest.raises(ConfigError, match="may not cross midnight"):
        Interval.parse("22:00-06:00")


def test_calendars_pickle_and_compare_by_value() -> None:
    calendar = office()
    calendar.add(london(2026, 3, 6, 16, 0), 4 * H)  # fills the per-day cache
    copy = pickle.loads(pickle.dumps(calendar))
    assert copy == calendar
    assert hash(copy) == hash(calendar)
    assert copy.add(london(2026, 3, 6, 16, 0), 4 * H) == london(2026, 3, 9, 11, 30)
