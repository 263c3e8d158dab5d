"""Spike detection: a burst is caught in its own window; flat and rhythmic streams stay quiet."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from rapport.score.volume import Spike, VolumeTracker

START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=5)


def play(
    tracker: VolumeTracker, windows: int, rate: Callable[[int], float], seed: int = 1
) -> list[Spike]:
    """Feed Poisson-like counts of `#fail` per window; return every spike raised."""
    rng = random.Random(seed)
    spikes: list[Spike] = []
    for w in range(windows):
        lam = rate(w)
        count = sum(1 for _ in range(int(lam * 3)) if rng.random() < 1 / 3)
        for i in range(count):
            at = START + w * WINDOW + timedelta(seconds=i * 290 / max(count, 1))
            spikes += tracker.add(at, [("hashtag", "fail"), ("intent", "other")])
    spikes += tracker.advance(START + windows * WINDOW)
    return spikes


def test_a_flat_stream_raises_no_alert() -> None:
    assert play(VolumeTracker(), 2 * 288, lambda w: 20.0) == []


def test_a_burst_is_caught_in_its_own_window() -> None:
    burst = 400
    spikes = play(VolumeTracker(), burst + 20, lambda w: 100.0 if w == burst else 20.0)
    fail = [s for s in spikes if s.key == "fail"]
    assert len(fail) == 1
    assert fail[0].window_start == START + burst * WINDOW
    assert fail[0].count > 60
    assert fail[0].z >= 4
    assert "expected" in fail[0].reason


def test_a_daily_rhythm_is_learnt_and_not_alerted() -> None:
    def rhythm(w: int) -> float:
        hour = (w * 5 // 60) % 24
        return 40.0 if 9 <= hour < 21 else 3.0

    tracker = VolumeTracker()
    play(tracker, 3 * 288, rhythm)  # three days to learn each hour
    later = play(tracker, 288, rhythm, seed=9)  # the fourth day, same rhythm
    assert later == []


def test_a_burst_on_top_of_a_rhythm_is_still_caught() -> None:
    def rhythm(w: int) -> float:
        hour = (w * 5 // 60) % 24
        burst = w == 3 * 288 + 100  # day 4, 08:20: quiet hours, so 60 is far above normal
        return 60.0 if burst else (40.0 if 9 <= hour < 21 else 3.0)

    spikes = play(VolumeTracker(), 4 * 288, rhythm)
    # The first morning is new to the tracker; from the second day on it knows the rhythm.
    after_learning = [
        s for s in spikes if s.key == "fail" and s.window_start >= START + timedelta(days=1)
    ]
    assert [(s.key, s.window_start) for s in after_learning] == [
        ("fail", START + (3 * 288 + 100) * WINDOW)
    ]
