"""Erlang C against the textbook formula and a published worked example."""

from __future__ import annotations

import math

import pytest

from rapport.measure.erlang import (
    agents_needed,
    average_speed_of_answer,
    erlang_c,
    service_level,
    traffic_erlangs,
)


def textbook_erlang_c(agents: int, traffic: float) -> float:
    """The definition: (A^n/n! * n/(n-A)) / (sum_{k<n} A^k/k! + A^n/n! * n/(n-A))."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    return top / (sum(traffic**k / math.factorial(k) for k in range(agents)) + top)


@pytest.mark.parametrize(
    ("agents", "traffic"),
    [(1, 0.5), (2, 1.5), (5, 3.2), (11, 10.0), (13, 10.0), (20, 12.7), (40, 33.3), (60, 50.0)],
)
def test_stable_recursion_matches_the_definition(agents: int, traffic: float) -> None:
    assert erlang_c(agents, traffic) == pytest.approx(textbook_erlang_c(agents, traffic), rel=1e-9)


# The call centre helper worked example ("Erlang C formula - made simple"): 100 calls in
# 30 minutes (200 an hour), 180 s handle time, 80% answered within 20 s -> 10 Erlangs.
# Computed here and with the textbook formula above:
#   agents  P(wait)  service level  ASA (s)
#   11      0.6821   0.3896         122.8
#   12      0.4494   0.6402          40.4
#   13      0.2853   0.7956          17.1
#   14      0.1741   0.8884           7.8
# 13 agents just miss 80/20 (79.6%), so 14 are needed; with 30% shrinkage, 14 / 0.7 = 20.
WORKED = [
    (11, 0.6821, 0.3896, 122.78),
    (12, 0.4494, 0.6402, 40.44),
    (13, 0.2853, 0.7956, 17.12),
    (14, 0.1741, 0.8884, 7.84),
]


@pytest.mark.parametrize(("agents", "p_wait", "level", "asa"), WORKED)
def test_worked_example(agents: int, p_wait: float, level: float, asa: float) -> None:
    assert traffic_erlangs(200, 180) == pytest.approx(10.0)
    assert erlang_c(agents, 10.0) == pytest.approx(p_wait, abs=5e-5)
    assert erlang_c(agents, 10.0) == pytest.approx(textbook_erlang_c(agents, 10.0), rel=1e-9)
    assert service_level(agents, 200, 180, 20) == pytest.approx(level, abs=5e-5)
    assert average_speed_of_answer(agents, 200, 180) == pytest.approx(asa, abs=5e-3)


def test_agents_needed_for_the_worked_example() -> None:
    assert agents_needed(200, 180, 20, service_level=0.8) == 14
    assert agents_needed(200, 180, 20, service_level=0.8, shrinkage=0.3) == 20
    assert agents_needed(200, 180, 20, service_level=0.79) == 13
    # Occupancy caps it instead: 10 Erlangs at most 70% busy needs 15 agents.
    assert agents_needed(200, 180, 20, service_level=0.5, max_occupancy=0.7) == 15


def test_shrinkage_rounding_is_not_fooled_by_floating_point() -> None:
    # 8 / (1 - 0.9) is 80.00000000000001 in floating point; it must stay 80.
    assert 8 / (1 - 0.9) > 80
    assert agents_needed(100, 180, 20, service_level=0.85) == 8
    assert agents_needed(100, 180, 20, service_level=0.85, shrinkage=0.9) == 80


def test_large_desks_do_not_overflow() -> None:
    # A**n / n! overflows a float near n = 170; the recursion does not.
    c = erlang_c(1100, 1000.0)
    assert 0.0 < c < 0.01
    needed = agents_needed(36_000, 100, 20)
    assert needed > 1000
    assert service_level(needed, 36_000, 100, 20) >= 0.8
    assert service_level(needed - 1, 36_000, 100, 20) < 0.8 or (1000 / (needed - 1)) > 0.85


def test_edges() -> None:
    assert erlang_c(10, 10.0) == 1.0
    assert erlang_c(3, 0.0) == 0.0
    assert service_level(10, 200, 180, 20) == 0.0
    assert service_level(1, 0, 180, 20) == 1.0
    assert average_speed_of_answer(10, 200, 180) == math.inf
    assert agents_needed(0, 180, 20) == 0
    with pytest.raises(ValueError, match="service_level"):
        agents_needed(200, 180, 20, service_level=1.0)
    with pytest.raises(ValueError, match="shrinkage"):
        agents_needed(200, 180, 20, shrinkage=1.0)
    with pytest.raises(ValueError, match="handle_seconds"):
        traffic_erlangs(200, 0)
    with pytest.raises(ValueError, match="agents"):
        erlang_c(-1, 1.0)
