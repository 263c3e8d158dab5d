"""The SLA book judges stored clocks: only changes are written, a breach is recorded once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rapport.care.sla_book import SlaBook
from rapport.records.sla import CaseClock

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def test_a_breach_is_a_transition_once_and_escalates() -> None:
    book = SlaBook.default()
    history = {1: [(T0, "opened")]}
    late = T0 + timedelta(hours=3)  # cards: the first response was due within an hour
    fresh = CaseClock(1, "cards", "", "ok", None, None, resolved=False)
    verdicts = book.judge([fresh], history, late)
    (reading,) = verdicts.readings
    assert reading.state == "breached"
    assert reading.escalate
    assert verdicts.transitions == ((1, "sla_breach"),)

    stored = CaseClock(1, "cards", "standard", "breached", reading.next_due,
                       reading.next_change, resolved=False)  # fmt: skip
    again = book.judge([stored], history, late)
    assert again.readings == ()
    assert again.transitions == ()


def test_a_resolved_case_is_not_looked_at_again() -> None:
    book = SlaBook.default()
    clock = CaseClock(2, "cards", "standard", "ok", None, None, resolved=True)
    (reading,) = book.judge([clock], {2: [(T0, "opened")]}, T0).readings
    assert reading.next_change is None
    assert reading.next_due is not None
