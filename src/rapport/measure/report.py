"""The staffing report on stored history: how many urgent posts waited over an hour for the
desk to open, how many agents each hour of the week needs, and a roster that closes the gap.

Cases per hour come from the cases table (when each opened); urgent posts are those the
models rated critical or high. With at least a week of history the hour-of-week forecast
predicts next week; with less, every hour gets the mean rate seen so far (a flat forecast,
said so in the report).

Two things are kept out of the forecast, and the report says so: the hour still under way
(a part-hour would read as a quiet hour), and bursts. An hour with more than `BURST` times
the median of the same hour of the week (given `BURST_WEEKS` weeks to take it from) counts
as that many: an outage or a viral post is for the incident plan, and should not staff the
same hour of every week to come.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from statistics import median
from typing import Any

from rapport.measure.forecast import HOURS_PER_WEEK, HourOfWeekForecast, hour_of_week
from rapport.measure.staffing import (
    Cover,
    Gap,
    Schedule,
    covering_schedule,
    gaps,
    staffing_plan,
    waiting_share,
)
from rapport.store import Database
from rapport.store.reports import cases_opened_before, urgent_arrivals

BURST = 3.0
BURST_WEEKS = 3


@dataclass(frozen=True)
class StaffingReport:
    urgent_posts: int
    waited_over_an_hour: float  # share of urgent posts
    forecast_kind: str
    needed: list[int]
    gaps: list[Gap]
    cover: Cover

    def lines(self) -> list[str]:
        short = sum(g.short for g in self.gaps)
        return [
            f"{self.urgent_posts:,} urgent posts; {self.waited_over_an_hour:.1%} of them arrived "
            "while nobody was on duty and waited over an hour for the desk to open",
            f"forecast: {self.forecast_kind}; agents needed per hour of the week: "
            f"{min(self.needed)} to {max(self.needed)}",
            f"{len(self.gaps)} hours of the week are short of agents ({short} agent-hours)",
            *self.cover.describe().splitlines(),
        ]


def _hourly(opened: list[datetime]) -> list[tuple[datetime, int]]:
    """Cases opened per whole hour, oldest first."""
    counts = Counter(moment.replace(minute=0, second=0, microsecond=0) for moment in opened)
    return sorted(counts.items())


def without_bursts(
    hourly: list[tuple[datetime, int]], tz: tzinfo
) -> tuple[list[tuple[datetime, int]], int]:
    """`hourly` with each burst cut to `BURST` times its hour of the week's median (hours
    without cases count as zero), and how many hours were cut."""
    if not hourly:
        return hourly, 0
    counts = dict(hourly)
    first, last = hourly[0][0], hourly[-1][0]
    seen: defaultdict[int, list[int]] = defaultdict(list)
    for step in range(int((last - first) / timedelta(hours=1)) + 1):
        moment = first + timedelta(hours=step)
        seen[hour_of_week(moment, tz)].append(counts.get(moment, 0))
    caps = {
        column: int(BURST * max(1.0, median(values)))
        for column, values in seen.items()
        if len(values) >= BURST_WEEKS
    }
    kept, cut = [], 0
    for moment, count in hourly:
        cap = caps.get(hour_of_week(moment, tz), count)
        cut += count > cap
        kept.append((moment, min(count, cap)))
    return kept, cut


def staffing_report(
    database: Database,
    desk: Mapping[str, Any],
    *,
    handle_seconds: float = 300.0,
    target_seconds: float = 900.0,
    service_level: float = 0.8,
    now: datetime | None = None,
) -> StaffingReport:
    """`desk` is a schedule spec, e.g. {"mon-fri": "09:00-22:00", "timezone":
    "America/New_York", "agents": 6}."""
    schedule = Schedule.from_spec(desk)
    hour = (now or datetime.now(UTC)).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    with database.reading() as conn:
        # Only whole hours: the one under way would read as a quiet hour.
        hourly = _hourly(cases_opened_before(conn, hour))
        arrivals = urgent_arrivals(conn)
    per_hour = [0.0] * HOURS_PER_WEEK
    kind = "no history"
    if hourly and hourly[-1][0] - hourly[0][0] >= timedelta(hours=HOURS_PER_WEEK):
        steady, cut = without_bursts(hourly, schedule.timezone)
        model = HourOfWeekForecast.fit(steady, tz=schedule.timezone)
        start = hourly[-1][0] + timedelta(hours=1)
        predicted = model.predict(start, HOURS_PER_WEEK)
        for offset, value in enumerate(predicted):
            per_hour[hour_of_week(start + timedelta(hours=offset), schedule.timezone)] = value
        kind = "hour-of-week model fitted on the history"
        if cut:
            kind += f" ({cut} burst hour(s) counted as {BURST:g} times their usual level)"
    elif hourly:
        span = max(1.0, (hourly[-1][0] - hourly[0][0]).total_seconds() / 3600 + 1)
        per_hour = [sum(n for _, n in hourly) / span] * HOURS_PER_WEEK
        kind = f"flat: only {span:.0f} hours of history, less than a week"
    needed = staffing_plan(per_hour, handle_seconds, target_seconds, service_level)
    return StaffingReport(
        urgent_posts=len(arrivals),
        waited_over_an_hour=waiting_share(arrivals, schedule) if arrivals else 0.0,
        forecast_kind=kind,
        needed=needed,
        gaps=gaps(needed, schedule),
        cover=covering_schedule(needed, schedule),
    )
