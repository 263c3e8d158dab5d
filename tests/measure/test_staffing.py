"""Staffing a desk: Erlang plans, rosters, gaps and who waits over an hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rapport.measure.staffing import (
    Schedule,
    covering_schedule,
    gaps,
    staffing_plan,
    wait_until_staffed,
    waiting_share,
)

EASTERN = ZoneInfo("America/New_York")
DESK = {"mon-fri": "09:00-22:00", "timezone": "America/New_York", "agents": 6}


def test_spec_covers_weekday_hours_only() -> None:
    schedule = Schedule.from_spec(DESK)
    open_hours = [h for h, a in enumerate(schedule.agents) if a]
    assert open_hours == [d * 24 + h for d in range(5) for h in range(9, 22)]
    assert set(schedule.agents) == {0, 6}
    assert schedule.closed_hours == 168 - 5 * 13
    assert schedule.on_duty(datetime(2024, 6, 7, 21, 59, tzinfo=EASTERN)) == 6
    assert schedule.on_duty(datetime(2024, 6, 8, 1, 30, tzinfo=UTC)) == 6  # Fri 21:30 EDT


def test_spec_variants_add_up() -> None:
    schedule = Schedule.from_spec(
        {
            "timezone": "Europe/Berlin",
            "agents": 2,
            "sat-sun": ["10:00-14:00", {"hours": "22:00-02:00", "agents": 1}],
            "shifts": [{"days": "daily", "hours": "12:00-13:00", "agents": 3}],
        }
    )
    assert schedule.agents[5 * 24 + 10] == 2
    assert schedule.agents[5 * 24 + 12] == 5
    assert schedule.agents[0 * 24 + 12] == 3
    assert schedule.agents[6 * 24 + 23] == 1
    assert schedule.agents[0 * 24 + 1] == 1  # Sunday 22:00-02:00 runs into Monday
    with pytest.raises(ValueError, match="whole hours"):
        Schedule.from_spec({"timezone": "UTC", "mon": "09:30-17:00"})
    with pytest.raises(ValueError, match="day range"):
        Schedule.from_spec({"timezone": "UTC", "someday": "09:00-17:00"})


def test_friday_night_post_waits_until_monday_morning() -> None:
    schedule = Schedule.from_spec(DESK)
    friday = datetime(2024, 6, 7, 23, 30, tzinfo=EASTERN)
    assert wait_until_staffed(friday, schedule) == timedelta(hours=57, minutes=30)
    assert wait_until_staffed(friday.replace(hour=12), schedule) == timedelta(0)
    # Across the spring change (Sunday 10 March 2024) the weekend is an hour shorter.
    spring = datetime(2024, 3, 8, 23, 30, tzinfo=EASTERN)
    assert wait_until_staffed(spring, schedule) == timedelta(hours=56, minutes=30)
    empty = Schedule.from_hours([0] * 168, EASTERN)
    assert wait_until_staffed(friday, empty) is None
    with pytest.raises(ValueError, match="timezone-aware"):
        wait_until_staffed(datetime(2024, 6, 7, 23, 30), schedule)


def test_share_of_urgent_posts_waiting_over_an_hour() -> None:
    """The issue's question for a Monday-Friday 9:00-22:00 US-Eastern desk."""
    schedule = Schedule.from_spec(DESK)
    # A week of urgent posts, six an hour at :05, :15, ..., :55, given in UTC.
    monday = datetime(2024, 6, 3, tzinfo=EASTERN)  # no daylight-saving change that week
    arrivals = [(monday + timedelta(minutes=5 + 10 * i)).astimezone(UTC) for i in range(168 * 6)]
    closed = sum(1 for a in schedule.agents if a == 0)  # 168 - 5 * 13 = 103
    # Posts in the hour just before an opening wait under an hour; there are 5 openings.
    openings = sum(1 for h in range(168) if schedule.agents[h] and not schedule.agents[h - 1])
    expected = (closed - openings) / 168
    assert (closed, openings) == (103, 5)
    assert waiting_share(arrivals, schedule) == pytest.approx(expected)  # 98/168 = 0.583
    # A 24/7 roster leaves nobody waiting.
    cover = covering_schedule([1] * 168, schedule)
    assert cover.around_the_clock
    assert waiting_share(arrivals, cover.schedule) == 0.0
    assert cover.added_agent_hours == 103
    assert waiting_share([], schedule) == 0.0


def test_threshold_is_strict() -> None:
    schedule = Schedule.from_spec(DESK)
    exactly_an_hour = datetime(2024, 6, 4, 8, 0, tzinfo=EASTERN)
    assert waiting_share([exactly_an_hour], schedule) == 0.0
    assert waiting_share([exactly_an_hour - timedelta(seconds=1)], schedule) == 1.0
    assert waiting_share([exactly_an_hour], schedule, threshold=timedelta(minutes=59)) == 1.0


def test_plan_gaps_and_cover() -> None:
    # Quiet nights, busier days; every hour needs someone for a 24/7 desk.
    forecast = [2.0 if h % 24 < 8 else 20.0 for h in range(168)]
    needed = staffing_plan(forecast, 900, 300, service_level=0.8, minimum_agents=1)
    assert len(needed) == 168
    assert needed[3] == 2  # 0.5 Erlangs: 1 agent answers 57.7% in 5 min, 2 answer 93.9%
    assert needed[12] == 7  # 5 Erlangs: 6 agents answer 57.9%, 7 answer 83.4%
    schedule = Schedule.from_spec(DESK)
    short = gaps(needed, schedule)
    assert [g.label for g in short[:2]] == ["Mon 00:00", "Mon 01:00"]
    assert all(g.short == g.needed - g.scheduled > 0 for g in short)
    assert {g.hour_of_week for g in short} == {
        h for h in range(168) if needed[h] > schedule.agents[h]
    }
    cover = covering_schedule(needed, schedule)
    assert gaps(needed, cover.schedule) == []
    assert cover.added_agent_hours == sum(g.short for g in short)
    assert Schedule.from_spec(cover.spec) == cover.schedule
    text = cover.describe()
    assert text.startswith("Move to 24/7: add")
    assert "mon-fri 00:00-08:00: 2 agents" in text
    assert "sat-sun 08:00-24:00: 7 agents" in text


def test_cover_when_nothing_is_short() -> None:
    cover = covering_schedule([0] * 168, [1] * 168, timezone="UTC")
    assert cover.added_agent_hours == 0
    assert cover.describe() == "The roster already covers the need."
    assert cover.shifts == ({"days": "mon-sun", "hours": "00:00-24:00", "agents": 1},)


def test_week_length_is_checked() -> None:
    with pytest.raises(ValueError, match="168"):
        staffing_plan([1.0] * 24, 300, 60)
    with pytest.raises(ValueError, match="168"):
        gaps([1] * 168, [1] * 24)
