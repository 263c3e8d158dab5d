"""Net Promoter arithmetic: the score, its confidence interval, and breakdowns by any key.

Each answer counts +1 (promoter, 9-10), 0 (passive, 7-8) or -1 (detractor, 0-6); the NPS is
100 times their mean. The interval is the normal (Wald) one on that mean: with shares
p_pro and p_det, the per-answer variance is p_pro + p_det - (p_pro - p_det)^2, the standard
error sqrt(var / n), and the bounds score +/- z * se * 100, clipped to [-100, 100]. It is
honest for dozens of answers and up; for a handful it is too narrow, and when every answer is
in one category it collapses to the score itself (variance 0), so read n alongside it.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal, TypeVar

Category = Literal["promoter", "passive", "detractor"]
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class NpsResult:
    """Counts, the NPS (-100..100) and its interval; score, low, high are None with no answers."""

    promoters: int
    passives: int
    detractors: int
    total: int
    score: float | None
    low: float | None
    high: float | None
    confidence: float = 0.95

    @property
    def margin(self) -> float | None:
        """Half the width of the (clipped) interval, or None with no answers."""
        if self.low is None or self.high is None:
            return None
        return (self.high - self.low) / 2


def category(score: int) -> Category:
    """Promoter (9-10), passive (7-8) or detractor (0-6); anything else is a ValueError."""
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        raise ValueError(f"an NPS answer is a whole number from 0 to 10, not {score!r}")
    if score >= 9:
        return "promoter"
    if score >= 7:
        return "passive"
    return "detractor"


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), not {confidence!r}")
    return NormalDist().inv_cdf((1 + confidence) / 2)


def _result(promoters: int, passives: int, detractors: int, confidence: float) -> NpsResult:
    z = _z(confidence)
    n = promoters + passives + detractors
    if n == 0:
        return NpsResult(0, 0, 0, 0, None, None, None, confidence)
    p_pro, p_det = promoters / n, detractors / n
    mean = p_pro - p_det
    var = max(0.0, p_pro + p_det - mean * mean)  # max(): rounding can dip a hair below zero
    half = z * math.sqrt(var / n) * 100
    score = mean * 100
    return NpsResult(
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        total=n,
        score=score,
        low=max(-100.0, score - half),
        high=min(100.0, score + half),
        confidence=confidence,
    )


def nps(scores: Iterable[int], confidence: float = 0.95) -> NpsResult:
    """The NPS of 0-10 answers; an answer outside 0..10 raises ValueError, none gives score None."""
    counts = {"promoter": 0, "passive": 0, "detractor": 0}
    for score in scores:
        counts[category(score)] += 1
    return _result(counts["promoter"], counts["passive"], counts["detractor"], confidence)


def nps_by(rows: Iterable[tuple[K, int]], confidence: float = 0.95) -> dict[K, NpsResult]:
    """One NpsResult per key (team, agent, intent, language, channel, period), first seen first."""
    _z(confidence)  # refuse a bad confidence even when there are no rows
    counts: dict[K, list[int]] = {}
    index = {"promoter": 0, "passive": 1, "detractor": 2}
    for key, score in rows:
        counts.setdefault(key, [0, 0, 0])[index[category(score)]] += 1
    return {key: _result(c[0], c[1], c[2], confidence) for key, c in counts.items()}
