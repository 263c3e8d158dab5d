"""The staffing report on stored history: how many urgent posts waited over an hour for the
desk to open, how many agents each hour of the week needs, and a roster that closes the gap.

Cases per hour come from the cases table (when each opened); urgent posts are those the
models rated critical or high. With at least a week of history the hour-of-week forecast
predicts next week; with less, every hour gets the mean rate seen so far (a flat forecast,
said so in the report).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

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
from rapport.store import schema
from rapport.store.rows import as_utc


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


def _hourly_cases(conn: sa.Connection) -> list[tuple[datetime, int]]:
    counts: Counter[datetime] = Counter()
    for (opened,) in conn.execute(sa.select(schema.cases.c.opened_at)):
        moment = as_utc(opened)
        if moment is not None:
            counts[moment.replace(minute=0, second=0, microsecond=0)] += 1
    return sorted(counts.items())


def _urgent_arrivals(conn: sa.Connection) -> list[datetime]:
    posts, analyses = schema.posts, schema.analyses
    query = (
        sa.select(posts.c.created_at)
        .select_from(posts.join(analyses, analyses.c.post_id == posts.c.id))
        .where(analyses.c.urgency.in_(("critical", "high")))
    )
    return [moment for (created,) in conn.execute(query) if (moment := as_utc(created))]


def staffing_report(
    engine: sa.Engine,
    desk: Mapping[str, Any],
    *,
    handle_seconds: float = 300.0,
    target_seconds: float = 900.0,
    service_level: float = 0.8,
) -> StaffingReport:
    """`desk` is a schedule spec, e.g. {"mon-fri": "09:00-22:00", "timezone":
    "America/New_York", "agents": 6}."""
    schedule = Schedule.from_spec(desk)
    with engine.connect() as conn:
        hourly = _hourly_cases(conn)
        arrivals = _urgent_arrivals(conn)
    per_hour = [0.0] * HOURS_PER_WEEK
    kind = "no history"
    if hourly and hourly[-1][0] - hourly[0][0] >= timedelta(hours=HOURS_PER_WEEK):
        model = HourOfWeekForecast.fit(hourly, tz=schedule.timezone)
        start = hourly[-1][0] + timedelta(hours=1)
        predicted = model.predict(start, HOURS_PER_WEEK)
        for offset, value in enumerate(predicted):
            per_hour[hour_of_week(start + timedelta(hours=offset), schedule.timezone)] = value
        kind = "hour-of-week model fitted on the history"
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
