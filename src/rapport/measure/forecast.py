"""Cases per hour of the week, forecast from a few weeks of history.

The model is "seasonal index times level" and is meant to be robust with only a few weeks:

- the history is cut into whole weeks (168 hours), counted back from its last hour, and any
  leading partial week is dropped;
- the weekly mean goes through Holt's linear smoothing (level ``alpha_level``, trend ``beta``,
  trend started at the average week-on-week change), so growth carries into the forecast;
- each hour of the week keeps an index, the ratio of its count to its week's mean, smoothed
  across weeks with ``alpha`` and normalised to average 1.

A forecast hour is ``max(0, (level + trend * weeks_ahead) * index[hour_of_week])``, where
``weeks_ahead`` runs continuously from the middle of the last whole week.

Hours of the week are Monday 00:00 = 0 to Sunday 23:00 = 167, read in ``tz`` when it is given
(timestamps must then be timezone-aware) and from the timestamps themselves otherwise.
Hours absent from the history count as zero cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

import numpy as np
import numpy.typing as npt

HOURS_PER_WEEK = 168
_HOUR = timedelta(hours=1)
_WEEK = timedelta(weeks=1)


def hour_of_week(moment: datetime, tz: tzinfo | None = None) -> int:
    """Monday 00:00-00:59 is 0, Sunday 23:00-23:59 is 167 (read in ``tz`` if given)."""
    local = moment.astimezone(tz) if tz is not None else moment
    return local.weekday() * 24 + local.hour


def _floor_hour(moment: datetime) -> datetime:
    """Start of the hour; aware times are floored in UTC so hours are exactly an hour apart."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(minute=0, second=0, microsecond=0)


def _dense(counts: Sequence[tuple[datetime, int]]) -> tuple[datetime, npt.NDArray[np.float64]]:
    """Hourly totals from the first to the last hour seen, zero where nothing was counted."""
    if not counts:
        raise ValueError("no counts to fit")
    hours = [(_floor_hour(moment), count) for moment, count in counts]
    origin = min(moment for moment, _ in hours)
    last = max(moment for moment, _ in hours)
    series = np.zeros(int((last - origin) / _HOUR) + 1, dtype=np.float64)
    for moment, count in hours:
        if count < 0:
            raise ValueError(f"negative count {count} at {moment.isoformat()}")
        series[int((moment - origin) / _HOUR)] += count
    return origin, series


@dataclass(frozen=True, slots=True)
class HourOfWeekForecast:
    """A fitted seasonal model; build it with :meth:`fit`."""

    level: float
    """Smoothed mean cases per hour of the last whole week."""
    trend: float
    """Change of that mean per week."""
    index: tuple[float, ...]
    """168 seasonal factors averaging 1, Monday 00:00 first."""
    anchor: datetime
    """Middle of the last whole week of history (hour-floored, UTC when aware)."""
    tz: tzinfo | None = None

    @classmethod
    def fit(
        cls,
        counts: Sequence[tuple[datetime, int]],
        *,
        alpha: float = 0.3,
        alpha_level: float = 0.5,
        beta: float = 0.3,
        tz: tzinfo | None = None,
    ) -> HourOfWeekForecast:
        """Fit on ``(hour, cases)`` pairs covering at least one whole week."""
        for name, value in (("alpha", alpha), ("alpha_level", alpha_level), ("beta", beta)):
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {value}")
        origin, series = _dense(counts)
        weeks = len(series) // HOURS_PER_WEEK
        if weeks == 0:
            raise ValueError(f"need at least {HOURS_PER_WEEK} hours of history, got {len(series)}")
        skip = len(series) - weeks * HOURS_PER_WEEK
        start = origin + skip * _HOUR
        blocks = series[skip:].reshape(weeks, HOURS_PER_WEEK)
        # The hour of the week of every hour, block by block: in a time zone a week that
        # holds a clock change repeats one local hour and skips another, so column j of
        # two blocks is not always the same hour of the week.
        columns = np.array(
            [hour_of_week(start + k * _HOUR, tz) for k in range(weeks * HOURS_PER_WEEK)]
        ).reshape(weeks, HOURS_PER_WEEK)
        means = blocks.mean(axis=1)

        level = float(means[0])
        trend = float(means[-1] - means[0]) / (weeks - 1) if weeks > 1 else 0.0
        for mean in means[1:]:
            previous = level
            level = alpha_level * float(mean) + (1.0 - alpha_level) * (level + trend)
            trend = beta * (level - previous) + (1.0 - beta) * trend

        seasonal = np.full(HOURS_PER_WEEK, np.nan)
        for block, where, mean in zip(blocks, columns, means, strict=True):
            if mean <= 0:
                continue
            # A repeated local hour averages its two; a skipped one keeps what it had.
            seen = np.bincount(where, minlength=HOURS_PER_WEEK)
            ratio = np.bincount(where, weights=block / mean, minlength=HOURS_PER_WEEK)
            ratio = np.divide(ratio, seen, out=np.full(HOURS_PER_WEEK, np.nan), where=seen > 0)
            blended = np.where(np.isnan(seasonal), ratio, alpha * ratio + (1.0 - alpha) * seasonal)
            seasonal = np.where(seen > 0, blended, seasonal)
        index = np.ones(HOURS_PER_WEEK, dtype=np.float64)
        known = ~np.isnan(seasonal)
        if known.any() and seasonal[known].mean() > 0:
            index[known] = seasonal[known] / seasonal[known].mean()
        anchor = start + (weeks - 1) * _WEEK + timedelta(hours=HOURS_PER_WEEK / 2 - 0.5)
        return cls(
            level=level,
            trend=trend,
            index=tuple(float(x) for x in index),
            anchor=anchor,
            tz=tz,
        )

    def predict(self, start: datetime, hours: int) -> list[float]:
        """Expected cases for each of ``hours`` hours from the hour containing ``start``."""
        if hours < 0:
            raise ValueError(f"hours must be >= 0, got {hours}")
        first = _floor_hour(start)
        out: list[float] = []
        for i in range(hours):
            moment = first + i * _HOUR
            weeks_ahead = (moment - self.anchor) / _WEEK
            level = self.level + self.trend * weeks_ahead
            out.append(max(0.0, level * self.index[hour_of_week(moment, self.tz)]))
        return out


def same_hour_last_week(
    counts: Sequence[tuple[datetime, int]], start: datetime, hours: int
) -> list[float]:
    """Naive baseline: each hour repeats the same hour of the latest observed week.

    Hours further ahead than a week step back as many weeks as needed to land in the history;
    hours with nothing counted are zero.
    """
    if hours < 0:
        raise ValueError(f"hours must be >= 0, got {hours}")
    origin, series = _dense(counts)
    last = len(series) - 1
    first = _floor_hour(start)
    out: list[float] = []
    for i in range(hours):
        position = int((first + i * _HOUR - origin) / _HOUR)
        if position > last:
            position -= -(-(position - last) // HOURS_PER_WEEK) * HOURS_PER_WEEK
        out.append(float(series[position]) if 0 <= position <= last else 0.0)
    return out


def mean_absolute_error(predicted: Sequence[float], actual: Sequence[float]) -> float:
    """Mean of ``|predicted - actual|`` over paired hours."""
    if len(predicted) != len(actual) or not predicted:
        raise ValueError("need two non-empty sequences of the same length")
    return float(np.mean(np.abs(np.asarray(predicted) - np.asarray(actual))))
