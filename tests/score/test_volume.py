"""Spike detection: a burst is caught in its own window; flat and rhythmic streams stay quiet."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from rapport.score.volume import Spike, VolumeTracker

START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=5)


def play(
    tracker: VolumeTracker,
    windows: int,
    rate: Callable[[int], float],
    seed: int = 1,
    start: datetime = START,
) -> list[Spike]:
    """Feed Poisson-like counts of `#fail` per window; return every spike raised."""
    rng = random.Random(seed)
    spikes: list[Spike] = []
    for w in range(windows):
        lam = rate(w)
        count = sum(1 for _ in range(int(lam * 3)) if rng.random() < 1 / 3)
        for i in range(count):
            at = start + w * WINDOW + timedelta(seconds=i * 290 / max(count, 1))
            spikes += tracker.add(at, [("hashtag", "fail"), ("intent", "other")])
    spikes += tracker.advance(start + windows * WINDOW)
    return spikes


def test_a_flat_stream_raises_no_alert() -> None:
    assert play(VolumeTracker(), 2 * 288, lambda w: 20.0) == []


def test_a_burst_is_caught_in_its_own_window() -> None:
    burst = 400
    spikes = play(VolumeTracker(), burst + 20, lambda w: 100.0 if w == burst else 20.0)
    fail = [s for s in spikes if s.key == "fail"]
    assert len(fail) == 1
    assert fail[0].window_start == START + burst * WINDOW
    # Raised while the burst is under way: as soon as the running count is 4 spreads above
    # the usual 20, long before the window's full count of about 100.
    assert 30 < fail[0].count < 60
    assert fail[0].z >= 4
    assert "expected" in fail[0].reason


def test_a_spike_is_raised_once_per_window_and_marks_the_key() -> None:
    tracker = VolumeTracker(window_seconds=60, warm_up_windows=5, min_count=5)
    key = ("intent", "service_outage")
    for w in range(10):  # ten quiet minutes: two posts a minute
        for i in range(2):
            tracker.add(START + timedelta(minutes=w, seconds=i * 20), [key])
    burst = START + timedelta(minutes=10)
    raised = [
        spike for i in range(50) for spike in tracker.add(burst + timedelta(seconds=i), [key])
    ]
    assert len(raised) == 1
    assert tracker.spiking(key)
    raised += tracker.advance(burst + timedelta(minutes=1))  # the window closes: not again
    assert len(raised) == 1
    assert not tracker.spiking(key)


def test_keys_unseen_for_a_day_are_forgotten() -> None:
    tracker = VolumeTracker(window_seconds=60, forget_after_windows=30)
    tracker.add(START, [("url", "example.com/a")])
    tracker.add(START + timedelta(minutes=5), [("url", "example.com/b")])
    tracker.advance(START + timedelta(minutes=34))
    assert ("url", "example.com/a") not in tracker._series
    assert ("url", "example.com/b") in tracker._series


def test_a_daily_rhythm_is_learnt_and_not_alerted() -> None:
    def rhythm(w: int) -> float:
        hour = (w * 5 // 60) % 24
        return 40.0 if 9 <= hour < 21 else 3.0

    tracker = VolumeTracker()
    play(tracker, 3 * 288, rhythm)  # three days to learn each hour
    later = play(tracker, 288, rhythm, seed=9, start=START + timedelta(days=3))  # day four
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
