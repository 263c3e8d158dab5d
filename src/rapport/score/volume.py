"""Volume and spikes: rolling counts per key against a seasonal baseline, with z-scores.

Counts are kept per (kind, key) - a query, a hashtag, an intent, a linked URL - in fixed
windows (5 minutes by default). When a window closes, its count is compared with the
baseline for that hour of the day: an exponentially weighted mean and variance (EWMA).
Until an hour has seen enough windows, the all-hours baseline stands in for it. A window
whose count is `threshold` standard deviations above the baseline, and at least
`min_count`, is a spike. The spread is never taken below the Poisson spread (the square
root of the mean), because a few quiet windows would otherwise make any wobble look like
one. The baseline then learns the window too, damped, so that one burst does not become
the new normal.

A spike is raised as soon as the window's running count crosses the threshold, not only
when the window closes, so a burst is reported while it happens; the running count is never
above the final one, so reporting early adds no false alarms. Each (key, window) is
reported once. Keys unseen for a day are forgotten, so memory follows the live keys.

The tracker holds state across batches, so it runs in one place (one process, or one
consumer per key range on NATS): `pipeline/volume.py` hosts it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True)
class Spike:
    kind: str
    key: str
    window_start: datetime
    count: int
    expected: float
    z: float

    @property
    def reason(self) -> str:
        return (
            f"{self.count} posts for {self.kind} {self.key!r} in the window from "
            f"{self.window_start:%H:%M:%S}; about {self.expected:.1f} expected (z = {self.z:.1f})"
        )


@dataclass
class _Baseline:
    mean: float = 0.0
    variance: float = 0.0
    windows: int = 0

    def learn(self, count: float, alpha: float) -> None:
        if self.windows == 0:
            self.mean = count
        else:
            delta = count - self.mean
            self.mean += alpha * delta
            self.variance = (1 - alpha) * (self.variance + alpha * delta * delta)
        self.windows += 1


@dataclass
class _Series:
    overall: _Baseline = field(default_factory=_Baseline)
    by_hour: dict[int, _Baseline] = field(default_factory=dict)
    last_seen: int = 0


@dataclass
class VolumeTracker:
    """Counts events per key and window; `advance` closes windows and returns spikes."""

    window_seconds: int = 300
    alpha: float = 0.1
    threshold: float = 4.0
    min_count: int = 10
    warm_up_windows: int = 12
    hour_warm_up_windows: int = 6
    spike_damping: float = 0.2
    _counts: dict[tuple[str, str], int] = field(default_factory=dict)
    _series: dict[tuple[str, str], _Series] = field(default_factory=dict)
    forget_after_windows: int = 288
    _window: int | None = None
    _flagged: set[tuple[str, str]] = field(default_factory=set)

    def _window_of(self, at: datetime) -> int:
        return int(at.timestamp()) // self.window_seconds

    def add(self, at: datetime, keys: Iterable[tuple[str, str]]) -> list[Spike]:
        """Count one post under each (kind, key); returns the spikes this post reveals: its
        keys crossing the threshold in this window, and those of windows it closes."""
        window = self._window_of(at)
        spikes = self.advance(at) if self._window is not None and window > self._window else []
        if self._window is None:
            self._window = window
        counts = self._counts
        for key in keys:
            count = counts.get(key, 0) + 1
            counts[key] = count
            if count >= self.min_count and key not in self._flagged:
                spike = self._test(key, count, self._window)
                if spike is not None:
                    self._flagged.add(key)
                    spikes.append(spike)
        return spikes

    def spiking(self, key: tuple[str, str]) -> bool:
        """Whether `key` has spiked in the current window."""
        return key in self._flagged

    def advance(self, now: datetime) -> list[Spike]:
        """Close every window that ended before `now` (empty windows count as zero)."""
        window = self._window_of(now)
        spikes: list[Spike] = []
        while self._window is not None and self._window < window:
            spikes += self._close(self._window)
            self._window += 1
            # A long silence is many empty windows; after one day of them, stop stepping.
            if window - self._window > 288:
                self._window = window
        return spikes

    def _baseline(self, series: _Series, hour: int) -> _Baseline:
        hourly = series.by_hour.get(hour)
        if hourly is not None and hourly.windows >= self.hour_warm_up_windows:
            return hourly
        return series.overall

    def _test(self, key: tuple[str, str], count: int, window: int) -> Spike | None:
        series = self._series.get(key)
        if series is None or series.overall.windows < self.warm_up_windows:
            return None
        start = datetime.fromtimestamp(window * self.window_seconds, tz=UTC)
        baseline = self._baseline(series, start.hour)
        # Counts vary at least as much as Poisson counts do (variance = mean), and an hour's
        # few windows understate its spread, so the widest estimate is used.
        variance = max(baseline.variance, baseline.mean, series.overall.variance)
        z = (count - baseline.mean) / math.sqrt(variance + 1.0)
        if z < self.threshold:
            return None
        return Spike(key[0], key[1], start, count, baseline.mean, z)

    def _close(self, window: int) -> list[Spike]:
        hour = datetime.fromtimestamp(window * self.window_seconds, tz=UTC).hour
        spikes = []
        for key in set(self._series) | set(self._counts):
            count = self._counts.get(key, 0)
            series = self._series.get(key)
            if series is None:
                series = self._series[key] = _Series(last_seen=window)
            elif count == 0 and window - series.last_seen > self.forget_after_windows:
                del self._series[key]
                continue
            spiked = key in self._flagged
            if count:
                series.last_seen = window
                if not spiked and count >= self.min_count:
                    spike = self._test(key, count, window)
                    if spike is not None:
                        spikes.append(spike)
                        spiked = True
            hourly = series.by_hour.setdefault(hour, _Baseline())
            learn_alpha = self.alpha * (self.spike_damping if spiked else 1.0)
            series.overall.learn(count, learn_alpha)
            hourly.learn(count, learn_alpha)
        self._counts.clear()
        self._flagged.clear()
        return sorted(spikes, key=lambda s: -s.z)
