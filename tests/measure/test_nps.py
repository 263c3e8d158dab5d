"""Net Promoter arithmetic by hand, breakdowns by key, and when to ask."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rapport.measure.nps import NpsResult, category, nps, nps_by
from rapport.measure.survey import SurveyPolicy, should_ask


def test_categories() -> None:
    assert [category(s) for s in (0, 6, 7, 8, 9, 10)] == [
        "detractor",
        "detractor",
        "passive",
        "passive",
        "promoter",
        "promoter",
    ]
    for bad in (-1, 11, True):
        with pytest.raises(ValueError, match="0 to 10"):
            category(bad)


def test_nps_by_hand() -> None:
    # 5 promoters, 3 passives, 2 detractors: NPS = 100 * (5 - 2) / 10 = 30.
    # var = 0.5 + 0.2 - 0.3^2 = 0.61; se = sqrt(0.61 / 10) = 0.246982;
    # 95%: z = 1.959964, half-width = 100 * 1.959964 * 0.246982 = 48.407 -> [-18.407, 78.407].
    result = nps([10, 9, 9, 10, 9, 8, 7, 7, 3, 6])
    assert (result.promoters, result.passives, result.detractors, result.total) == (5, 3, 2, 10)
    assert result.score == pytest.approx(30.0)
    assert result.low == pytest.approx(-18.407, abs=1e-3)
    assert result.high == pytest.approx(78.407, abs=1e-3)
    assert result.margin == pytest.approx(48.407, abs=1e-3)


def test_nps_confidence_level_and_clipping() -> None:
    # 90%: z = 1.644854, half-width = 100 * 1.644854 * 0.246982 = 40.625 -> [-10.625, 70.625].
    result = nps([10, 9, 9, 10, 9, 8, 7, 7, 3, 6], confidence=0.90)
    assert result.low == pytest.approx(-10.625, abs=1e-3)
    assert result.high == pytest.approx(70.625, abs=1e-3)
    # 3 promoters, 1 detractor: NPS 50, var = 1 - 0.25 = 0.75, se = sqrt(0.75 / 4) = 0.4330,
    # half-width 84.87: the upper bound 134.87 is clipped to 100.
    small = nps([10, 10, 9, 0])
    assert small.score == pytest.approx(50.0)
    assert small.low == pytest.approx(50.0 - 84.87, abs=1e-2)
    assert small.high == 100.0
    # Everyone a promoter: variance 0, the interval collapses to the score.
    assert nps([9, 10, 10]) == NpsResult(3, 0, 0, 3, 100.0, 100.0, 100.0, 0.95)
    with pytest.raises(ValueError, match="confidence"):
        nps([9], confidence=1.0)


def test_nps_empty_and_invalid() -> None:
    empty = nps([])
    assert (empty.total, empty.score, empty.low, empty.high, empty.margin) == (
        0,
        None,
        None,
        None,
        None,
    )
    with pytest.raises(ValueError, match="0 to 10"):
        nps([9, 12])


def test_nps_by_key() -> None:
    rows = [("care", 10), ("billing", 3), ("care", 9), ("billing", 8), ("care", 6), ("billing", 2)]
    by_team = nps_by(rows)
    assert list(by_team) == ["care", "billing"]  # first seen first
    care, billing = by_team["care"], by_team["billing"]
    assert (care.promoters, care.passives, care.detractors) == (2, 0, 1)
    assert care.score == pytest.approx(100 / 3)
    assert (billing.promoters, billing.passives, billing.detractors) == (0, 1, 2)
    assert billing.score == pytest.approx(-200 / 3)
    assert nps_by([]) == {}
    by_week = nps_by([((2026, 1), 9), ((2026, 2), 0)])
    assert by_week[(2026, 1)].score == 100.0
    assert by_week[(2026, 2)].score == -100.0


NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("resolved", "asked_case", "last_asked", "opted_out", "expected"),
    [
        (True, False, None, False, (True, "case resolved, customer not asked recently")),
        (True, False, None, True, (False, "customer opted out")),
        (False, False, None, False, (False, "case not resolved yet")),
        (True, True, None, False, (False, "asked already for this case")),
        (
            True,
            False,
            NOW - timedelta(days=12),
            False,
            (False, "customer asked 12 days ago (cool-down 30 days)"),
        ),
        (
            True,
            False,
            NOW - timedelta(days=1),
            False,
            (False, "customer asked 1 day ago (cool-down 30 days)"),
        ),
        (
            True,
            False,
            NOW - timedelta(hours=2),
            False,
            (False, "customer asked today (cool-down 30 days)"),
        ),
        (
            True,
            False,
            NOW + timedelta(hours=2),
            False,
            (False, "customer asked today (cool-down 30 days)"),
        ),
        (
            True,
            False,
            NOW - timedelta(days=30),
            False,
            (True, "case resolved, customer not asked recently"),
        ),
    ],
)
def test_should_ask_reasons(
    resolved: bool,
    asked_case: bool,
    last_asked: datetime | None,
    opted_out: bool,
    expected: tuple[bool, str],
) -> None:
    assert should_ask(resolved, asked_case, last_asked, opted_out, NOW) == expected


def test_policy_cooldown() -> None:
    twelve_days_ago = NOW - timedelta(days=12)
    assert SurveyPolicy(cooldown_days=7).should_ask(True, False, twelve_days_ago, False, NOW)[0]
    assert should_ask(True, False, twelve_days_ago, False, NOW, SurveyPolicy(cooldown_days=14)) == (
        False,
        "customer asked 12 days ago (cool-down 14 days)",
    )
    assert SurveyPolicy(cooldown_days=0).should_ask(True, False, NOW, False, NOW)[0]
    with pytest.raises(ValueError, match="negative"):
        SurveyPolicy(cooldown_days=-1)
    with pytest.raises(ValueError, match="aware"):
        SurveyPolicy().should_ask(True, False, datetime(2026, 2, 1), False, NOW)
