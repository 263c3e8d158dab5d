"""/api/v1/reports: Net Promoter by team, agent, intent, language or channel, with the
confidence interval of each score; volume, sentiment over time, response times, staffing,
influencers and spikes; each also as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from rapport.auth.roles import Permission
from rapport.errors import InputError
from rapport.measure.nps import nps, nps_by
from rapport.measure.report import staffing_report
from rapport.measure.staffing import Schedule
from rapport.records.reports import (
    InfluencersReport,
    NpsOverall,
    NpsReport,
    NpsRow,
    ResponseTimeRow,
    ResponseTimesReport,
    SpikesReport,
    StaffingRow,
    StaffingSummary,
    TrendReport,
    VolumeReport,
)
from rapport.store.reports import (
    NpsBy,
    TrendBy,
    alerts_per_hour,
    first_responses,
    nps_answers,
    quantile,
    sentiment_trend,
    top_authors,
    volume,
)
from rapport.web.responses import JSON
from rapport.web.security import Principal, clock, require

router = APIRouter(prefix="/api/v1", tags=["reports"])

Analyst = Annotated[Principal, Depends(require(Permission.READ_REPORTS))]
By = NpsBy
# Every report is also CSV (`format=csv`): its rows, one line each.
CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "The report, or its rows as CSV."}
}


def _answers(request: Request, principal: Principal, by: By, days: int) -> list[tuple[str, int]]:
    since = clock(request) - timedelta(days=days)
    with request.app.state.database.reading() as conn:
        return nps_answers(conn, principal.tenant, by, since)


@router.get("/reports/nps", response_model=NpsReport, responses=CSV)
def nps_report(
    request: Request,
    principal: Analyst,
    by: By = "team",
    days: Annotated[int, Query(ge=1, le=730)] = 90,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """NPS (% promoters minus % detractors) overall and per `by`, with a 95% interval, from the
    answers of the last `days`; `format=csv` gives the same rows as CSV."""
    answers = _answers(request, principal, by, days)
    groups = nps_by(answers)
    rows = [
        NpsRow(key=key, promoters=r.promoters, passives=r.passives, detractors=r.detractors,
               total=r.total, nps=r.score, low=r.low, high=r.high)
        for key, r in sorted(groups.items())
    ]  # fmt: skip
    overall = nps([score for _, score in answers])
    total = NpsOverall(total=overall.total, nps=overall.score, low=overall.low, high=overall.high)
    return _csv_or_json(NpsReport(by=by, days=days, overall=total, items=rows), rows, format)


def _csv_or_json(report: Any, rows: Sequence[Any], format: str) -> Response:
    """`report` as JSON, or its `rows` (records of one kind) as CSV."""
    if format == "csv":
        out = io.StringIO()
        names = [f.name for f in fields(rows[0])] if rows else ["key"]
        writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(asdict(row) for row in rows)
        return Response(out.getvalue(), media_type="text/csv")
    return JSON(report)


@router.get("/reports/volume", response_model=VolumeReport, responses=CSV)
def volume_report(
    request: Request,
    principal: Analyst,
    by: Literal["lang", "intent", "sentiment", "team"] = "lang",
    days: Annotated[int, Query(ge=1, le=366)] = 7,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Posts of the last `days` per language, intent, sentiment or team (the top 15)."""
    since = clock(request) - timedelta(days=days)
    with request.app.state.database.reading() as conn:
        rows = volume(conn, by, since)
    return _csv_or_json(VolumeReport(by=by, days=days, items=rows), rows, format)


@router.get("/reports/sentiment-trend", response_model=TrendReport, responses=CSV)
def sentiment_trend_report(
    request: Request,
    principal: Analyst,
    by: TrendBy | None = None,
    key: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    days: Annotated[int, Query(ge=1, le=366)] = 7,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Posts of the last `days` per hour (`days` up to 2) or per UTC day, split into
    negative, neutral and positive (and unscored), optionally only the posts whose language
    or intent (`by`) is `key`."""
    if (by is None) != (key is None):
        raise InputError(f"by={by!r} and key={key!r}: give both (e.g. by=lang&key=es) "
                         "or neither (every post)")  # fmt: skip
    until = clock(request)
    since = until - timedelta(days=days)
    step: Literal["hour", "day"] = "hour" if days <= 2 else "day"
    with request.app.state.database.reading() as conn:
        rows = sentiment_trend(conn, since, until, step, by, key)
    report = TrendReport(by=by, key=key, days=days, step=step, items=rows)
    return _csv_or_json(report, rows, format)


_BUCKETS = ((5, "under 5 min"), (15, "5-15 min"), (30, "15-30 min"), (60, "30-60 min"),
            (120, "1-2 h"), (240, "2-4 h"), (None, "over 4 h"))  # fmt: skip


@router.get("/reports/response-times", response_model=ResponseTimesReport, responses=CSV)
def response_times(
    request: Request,
    principal: Analyst,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """First-response times of the tenant's cases opened in the last `days`, as a
    distribution (not only the mean), with the median, the 90th percentile and the share of
    cases whose SLA was met."""
    since = clock(request) - timedelta(days=days)
    with request.app.state.database.reading() as conn:
        minutes, met = first_responses(conn, principal.tenant, since)
    counts = dict.fromkeys((label for _, label in _BUCKETS), 0)
    for value in minutes:
        label = next(label for top, label in _BUCKETS if top is None or value < top)
        counts[label] += 1
    rows = [ResponseTimeRow(key=k, cases=n) for k, n in counts.items()]
    report = ResponseTimesReport(
        days=days,
        answered=len(minutes),
        median_minutes=quantile(minutes, 0.5),
        p90_minutes=quantile(minutes, 0.9),
        sla_met_share=round(met / len(minutes), 4) if minutes else None,
        items=rows,
    )
    return _csv_or_json(report, rows, format)


@router.get("/reports/staffing", response_model=StaffingSummary, responses=CSV)
def staffing(
    request: Request,
    principal: Analyst,
    hours: Annotated[str, Query(max_length=40)] = "mon-fri 09:00-22:00",
    timezone: Annotated[str, Query(max_length=64)] = "America/New_York",
    agents: Annotated[int, Query(ge=0, le=10_000)] = 6,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Agents needed per hour of the week (Erlang C on the forecast) against the desk's
    schedule, the share of urgent posts that waited over an hour, and a roster closing
    the gap."""
    days, _, span = hours.strip().partition(" ")
    desk = {days: span.strip(), "timezone": timezone, "agents": agents}
    try:
        report = staffing_report(request.app.state.database, desk, now=clock(request))
    except (ValueError, KeyError) as error:
        raise InputError(f"desk {hours!r} in {timezone!r}: {error}") from None
    scheduled = Schedule.from_spec(desk).agents
    rows = [
        StaffingRow(hour_of_week=h, needed=n, scheduled=s)
        for h, (n, s) in enumerate(zip(report.needed, scheduled, strict=True))
    ]
    summary = StaffingSummary(
        waited_over_an_hour=report.waited_over_an_hour,
        urgent_posts=report.urgent_posts,
        summary=report.lines(),
        items=rows,
    )
    return _csv_or_json(summary, rows, format)


@router.get("/reports/influencers", response_model=InfluencersReport, responses=CSV)
def influencers(
    request: Request,
    principal: Analyst,
    days: Annotated[int, Query(ge=1, le=366)] = 7,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """The most-followed authors talking about the brand in the last `days`."""
    since = clock(request) - timedelta(days=days)
    with request.app.state.database.reading() as conn:
        rows = top_authors(conn, since)
    return _csv_or_json(InfluencersReport(days=days, items=rows), rows, format)


@router.get("/reports/spikes", response_model=SpikesReport, responses=CSV)
def spikes(
    request: Request,
    principal: Analyst,
    days: Annotated[int, Query(ge=1, le=366)] = 7,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Spike and viral alerts per hour over the last `days`."""
    since = clock(request) - timedelta(days=days)
    with request.app.state.database.reading() as conn:
        rows = alerts_per_hour(conn, since)
    return _csv_or_json(SpikesReport(days=days, items=rows), rows, format)
