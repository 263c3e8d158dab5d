"""SLA clocks: targets on business hours, pauses, next-response turns, warnings and breaches."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from rapport.errors import ConfigError, InputError
from rapport.records import CaseEvent
from rapport.sla import BusinessCalendar, SlaClock, SlaEvent, SlaPolicy, SlaTransition

LONDON = ZoneInfo("Europe/London")
H = timedelta(hours=1)
M = timedelta(minutes=1)
OFFICE = BusinessCalendar.weekly(
    "Europe/London", {"mon-fri": "09:00-17:30"}, [date(2026, 12, 25)], name="office"
)
STANDARD = SlaPolicy(
    "standard", OFFICE, first_response=4 * H, next_response=8 * H, resolution=16 * H, warn_at=0.75
)
URGENT = SlaPolicy(
    "urgent", BusinessCalendar.always(), first_response=15 * M, resolution=4 * H, warn_at=0.8
)
T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def london(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in March 2026, London (GMT until the 29th)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=LONDON)


def clock(policy: SlaPolicy, *events: tuple[datetime, str]) -> SlaClock:
    return SlaClock(policy, [SlaEvent(at, kind) for at, kind in events])


def test_first_response_runs_on_business_hours() -> None:
    case = clock(STANDARD, (london(6, 16), "opened"))  # Friday 16:00

    friday = case.status(london(6, 17))
    first = friday.first_response
    assert first is not None
    assert (first.state, first.used, first.remaining) == ("ok", H, 3 * H)
    assert first.due == london(9, 11, 30)  # Monday
    assert first.warns_at == london(9, 10, 30)  # 3h of 4h used
    assert friday.next_due == london(9, 11, 30)
    assert friday.next_change == london(9, 10, 30)

    saturday = case.status(london(7, 12)).first_response
    assert saturday is not None
    assert (saturday.state, saturday.used) == ("ok", 1.5 * H)
    assert case.status(london(9, 10, 45)).state == "warning"
    assert case.status(london(9, 11, 30)).state == "breached"
    assert case.next_deadline(london(9, 12)) == london(9, 11, 30)  # overdue cases sort first


def test_a_reply_in_time_meets_the_target_and_a_late_one_breaches_it() -> None:
    opened = (london(6, 16), "opened")
    in_time = clock(STANDARD, opened, (london(9, 10), "agent_reply")).status(london(9, 15))
    assert in_time.first_response is not None
    assert in_time.first_response.state == "met"
    assert in_time.first_response.met_at == london(9, 10)
    assert in_time.first_response.used == 2.5 * H
    assert in_time.first_response.due == london(9, 11, 30)
    assert in_time.state == "ok"  # resolution still runs
    assert in_time.resolution is not None
    assert in_time.next_due == in_time.resolution.due == london(10, 15)  # 1.5h + 8.5h + 6h

    late = clock(STANDARD, opened, (london(9, 12), "agent_reply")).status(london(9, 15))
    assert late.first_response is not None
    assert late.first_response.state == "breached"
    assert late.first_response.remaining == -0.5 * H
    assert late.state == "breached"


def test_status_only_reads_events_up_to_now() -> None:
    case = clock(STANDARD, (london(6, 16), "opened"), (london(9, 10), "agent_reply"))
    assert case.status(london(6, 15)).first_response is None  # before the case opened
    before_reply = case.status(london(9, 9, 30)).first_response
    assert before_reply is not None
    assert (before_reply.state, before_reply.met_at) == ("ok", None)


def test_waiting_on_the_customer_stops_the_clock_until_they_write() -> None:
    case = clock(
        STANDARD,
        (london(9, 9), "opened"),  # Monday
        (london(9, 10), "agent_reply"),
        (london(9, 10), "waiting_on_customer"),
        (london(11, 9), "customer_message"),  # Wednesday
    )

    paused = case.status(london(10, 12))
    assert paused.paused
    assert paused.resolution is not None
    assert paused.resolution.used == H
    assert paused.resolution.due is None
    assert paused.next_due is None
    assert paused.next_change is None

    resumed = case.status(london(11, 10))
    assert not resumed.paused
    assert resumed.resolution is not None
    assert resumed.resolution.used == 2 * H
    assert resumed.resolution.due == london(12, 15, 30)  # 15h left from Wednesday 09:00
    assert resumed.next_response is not None
    assert resumed.next_response.started_at == london(11, 9)
    assert resumed.next_response.due == london(11, 17)
    assert resumed.next_due == london(11, 17)


def test_a_pause_moves_the_breach() -> None:
    running = clock(URGENT, (T0, "opened"))
    paused = clock(
        URGENT, (T0, "opened"), (T0 + 5 * M, "waiting_on_customer"), (T0 + H, "customer_message")
    )
    assert running.status(T0 + 20 * M).state == "breached"
    assert paused.status(T0 + 20 * M).state == "ok"
    first = paused.status(T0 + 20 * M).first_response
    assert first is not None
    assert (first.used, first.due, first.paused) == (5 * M, None, True)
    first = paused.status(T0 + 2 * H).first_response
    assert first is not None
    assert (first.due, first.state) == (T0 + H + 10 * M, "breached")


def test_each_customer_turn_after_a_reply_starts_a_next_response_clock() -> None:
    case = clock(
        STANDARD,
        (london(9, 9), "opened"),
        (london(9, 9, 30), "agent_reply"),
        (london(9, 11), "customer_message"),
        (london(9, 12), "customer_message"),  # the same turn: the clock keeps running
        (london(9, 13), "agent_reply"),
        (london(10, 9), "customer_message"),
    )
    first_turn = case.status(london(9, 12, 30)).next_response
    assert first_turn is not None
    assert (first_turn.cycle, first_turn.started_at, first_turn.used) == (1, london(9, 11), 1.5 * H)

    met = case.status(london(9, 14)).next_response
    assert met is not None
    assert (met.state, met.used) == ("met", 2 * H)

    second_turn = case.status(london(10, 10)).next_response
    assert second_turn is not None
    assert (second_turn.cycle, second_turn.state, second_turn.used) == (2, "ok", H)
    assert second_turn.due == london(10, 17)


def test_customer_messages_before_the_first_reply_start_no_next_response() -> None:
    case = clock(STANDARD, (london(9, 9), "opened"), (london(9, 10), "customer_message"))
    assert case.status(london(9, 11)).next_response is None


def test_resolving_stops_every_clock_and_a_new_message_reopens() -> None:
    case = clock(
        STANDARD,
        (london(9, 9), "opened"),
        (london(9, 11), "resolved"),
        (london(10, 9), "customer_message"),
    )
    resolved = case.status(london(9, 15))
    assert resolved.state == "met"
    assert resolved.first_response is not None
    assert resolved.first_response.state == "met"  # resolving answered the case
    assert resolved.next_due is None

    reopened = case.status(london(10, 10))
    assert reopened.resolution is not None
    assert (reopened.resolution.state, reopened.resolution.used) == ("ok", 3 * H)
    assert reopened.next_response is not None
    assert reopened.next_response.started_at == london(10, 9)


def test_warning_then_breach_are_emitted_once_whatever_the_windows() -> None:
    case = clock(URGENT, (T0, "opened"))
    expected = [
        SlaTransition(at=T0 + 12 * M, target="first_response", kind="warning"),
        SlaTransition(at=T0 + 15 * M, target="first_response", kind="breach"),
        SlaTransition(at=T0 + 192 * M, target="resolution", kind="warning"),
        SlaTransition(at=T0 + 4 * H, target="resolution", kind="breach"),
    ]
    assert case.transitions(T0, T0 + 5 * H) == expected

    rng = random.Random(11)
    for _ in range(20):
        cuts = sorted(T0 + timedelta(seconds=rng.randrange(5 * 3600)) for _ in range(8))
        bounds = [T0, *cuts, T0 + 5 * H]
        seen = [t for a, b in pairwise(bounds) for t in case.transitions(a, b)]
        assert seen == expected
    # A scheduler looking again exactly at the breach sees it then, not on the next pass.
    assert [t.kind for t in case.transitions(T0 + 12 * M, T0 + 15 * M)] == ["breach"]
    assert case.transitions(T0 + 15 * M, T0 + 16 * M) == []


def test_no_transitions_for_a_target_met_in_time() -> None:
    case = clock(URGENT, (T0, "opened"), (T0 + 10 * M, "agent_reply"), (T0 + H, "resolved"))
    assert case.transitions(T0, T0 + 10 * H) == []
    at_warning = clock(URGENT, (T0, "opened"), (T0 + 12 * M, "agent_reply"))
    assert [t.target for t in at_warning.transitions(T0, T0 + H)] == []


def test_transitions_follow_pauses_and_next_response_turns() -> None:
    policy = SlaPolicy("chat", BusinessCalendar.always(), next_response=10 * M, warn_at=0.5)
    case = clock(
        policy,
        (T0, "opened"),
        (T0 + M, "agent_reply"),
        (T0 + 2 * M, "customer_message"),  # turn 1: warns at +7m, would breach at +12m
        (T0 + 6 * M, "waiting_on_customer"),
        (T0 + 30 * M, "customer_message"),  # resumed with 6m left: breach at +36m
        (T0 + 40 * M, "agent_reply"),
        (T0 + 50 * M, "customer_message"),  # turn 2: warns at +55m, breaches at +60m
    )
    found = [(t.at, t.kind, t.cycle) for t in case.transitions(T0, T0 + 2 * H)]
    assert found == [
        (T0 + 31 * M, "warning", 1),
        (T0 + 36 * M, "breach", 1),
        (T0 + 55 * M, "warning", 2),
        (T0 + 60 * M, "breach", 2),
    ]


def test_a_clock_over_a_holiday_and_a_dst_change() -> None:
    policy = SlaPolicy("standard", OFFICE, first_response=4 * H)
    friday = datetime(2026, 3, 27, 16, tzinfo=LONDON)  # the clocks go forward on Sunday
    status = clock(policy, (friday, "opened")).status(datetime(2026, 3, 30, 9, tzinfo=UTC))
    assert status.first_response is not None
    assert status.first_response.due == datetime(2026, 3, 30, 10, 30, tzinfo=UTC)
    christmas_eve = datetime(2026, 12, 24, 16, tzinfo=LONDON)
    status = clock(policy, (christmas_eve, "opened")).status(christmas_eve)
    assert status.next_due == datetime(2026, 12, 28, 11, 30, tzinfo=UTC)


def test_case_events_from_the_store_drive_the_clock() -> None:
    events = [
        CaseEvent(case_id=1, at=T0 + 5 * M, kind="agent_reply"),
        CaseEvent(case_id=1, at=T0, kind="opened"),  # out of order: the clock sorts
        CaseEvent(case_id=1, at=T0 + M, kind="assigned"),  # not an SLA event: ignored
    ]
    status = SlaClock(URGENT, events).status(T0 + H)
    assert status.first_response is not None
    assert (status.first_response.state, status.first_response.used) == ("met", 5 * M)


def test_naive_times_are_refused() -> None:
    with pytest.raises(InputError, match="no time zone"):
        clock(URGENT, (datetime(2026, 3, 10, 12), "opened"))
    with pytest.raises(InputError, match="no time zone"):
        clock(URGENT, (T0, "opened")).status(datetime(2026, 3, 10, 12))


def test_policies_refuse_targets_that_cannot_work() -> None:
    with pytest.raises(ConfigError, match="policy 'p': first_response is 0s"):
        SlaPolicy("p", OFFICE, first_response=timedelta(0))
    with pytest.raises(ConfigError, match=r"warn_at is 1\.5;"):
        SlaPolicy("p", OFFICE, resolution=H, warn_at=1.5)
