"""/api/v1/reports: Net Promoter by team, agent, intent, language or channel, with the
confidence interval of each score, and the CSV of the same figures."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Annotated, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from rapport.auth.roles import Permission
from rapport.measure.nps import nps, nps_by
from rapport.measure.report import staffing_report
from rapport.measure.staffing import Schedule
from rapport.store import schema
from rapport.store.rows import as_utc
from rapport.web.responses import JSON, problem
from rapport.web.security import Principal, clock, require

router = APIRouter(prefix="/api/v1", tags=["reports"])

Analyst = Annotated[Principal, Depends(require(Permission.READ_REPORTS))]
By = Literal["team", "agent", "intent", "lang", "network", "week"]


def _answers(request: Request, principal: Principal, by: By, days: int) -> list[tuple[str, int]]:
    surveys = schema.surveys
    since = clock(request) - timedelta(days=days)
    column = {
        "team": surveys.c.team, "agent": surveys.c.agent_id, "intent": surveys.c.intent,
        "lang": surveys.c.lang, "network": surveys.c.network, "week": surveys.c.answered_at,
    }[by]  # fmt: skip
    query = sa.select(column, surveys.c.score).where(
        surveys.c.tenant == principal.tenant,
        surveys.c.score.is_not(None),
        surveys.c.answered_at >= since,
    )
    with request.app.state.database.reading() as conn:
        rows = conn.execute(query).all()
    if by == "week":
        return [(f"{key:%G-W%V}", int(score)) for key, score in rows]
    return [(str(key) if key is not None else "(none)", int(score)) for key, score in rows]


@router.get("/reports/nps")
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
        {"key": key, "promoters": r.promoters, "passives": r.passives,
         "detractors": r.detractors, "total": r.total, "nps": r.score, "low": r.low,
         "high": r.high}
        for key, r in sorted(groups.items())
    ]  # fmt: skip
    if format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["key"],
                                lineterminator="\n")  # fmt: skip
        writer.writeheader()
        writer.writerows(rows)
        return Response(out.getvalue(), media_type="text/csv")
    overall = nps([score for _, score in answers])
    return JSON({
        "by": by, "days": days,
        "overall": {"total": overall.total, "nps": overall.score, "low": overall.low,
                    "high": overall.high},
        "items": rows,
    })  # fmt: skip


def _csv_or_json(rows: list[dict[str, object]], format: str, extra: dict[str, object]) -> Response:
    if format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["key"],
                                lineterminator="\n")  # fmt: skip
        writer.writeheader()
        writer.writerows(rows)
        return Response(out.getvalue(), media_type="text/csv")
    return JSON({**extra, "items": rows})


@router.get("/reports/volume")
def volume_report(
    request: Request,
    principal: Analyst,
    by: Literal["lang", "intent", "sentiment", "team"] = "lang",
    days: Annotated[int, Query(ge=1, le=366)] = 7,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Posts of the last `days` per language, intent, sentiment or team (the top 15)."""
    posts, analyses = schema.posts, schema.analyses
    since = clock(request) - timedelta(days=days)
    column = posts.c.lang if by == "lang" else analyses.c[by]
    query = (
        sa.select(column.label("key"), sa.func.count().label("posts"))
        .select_from(posts.outerjoin(analyses, analyses.c.post_id == posts.c.id))
        .where(posts.c.created_at >= since)
        .group_by(column)
        .order_by(sa.func.count().desc())
        .limit(15)
    )
    with request.app.state.database.reading() as conn:
        rows = [{"key": key or "und", "posts": int(n)} for key, n in conn.execute(query)]
    return _csv_or_json(rows, format, {"by": by, "days": days})


_BUCKETS = ((5, "under 5 min"), (15, "5-15 min"), (30, "15-30 min"), (60, "30-60 min"),
            (120, "1-2 h"), (240, "2-4 h"), (None, "over 4 h"))  # fmt: skip


@router.get("/reports/response-times")
def response_times(
    request: Request,
    principal: Analyst,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """First-response times of the tenant's cases opened in the last `days`, as a
    distribution (not only the mean), with the median, the 90th percentile and the share of
    cases whose SLA was met."""
    cases, events = schema.cases, schema.case_events
    since = clock(request) - timedelta(days=days)
    first_reply = (
        sa.select(events.c.case_id, sa.func.min(events.c.at).label("replied"))
        .where(events.c.kind == "agent_reply")
        .group_by(events.c.case_id)
        .subquery()
    )
    query = (
        sa.select(cases.c.opened_at, first_reply.c.replied, cases.c.sla_state)
        .select_from(cases.join(first_reply, first_reply.c.case_id == cases.c.id))
        .where(cases.c.tenant == principal.tenant, cases.c.opened_at >= since)
    )
    with request.app.state.database.reading() as conn:
        found = conn.execute(query).all()
    minutes = sorted(
        max(0.0, ((as_utc(r) or since) - (as_utc(o) or since)).total_seconds() / 60)
        for o, r, _ in found
    )
    counts = dict.fromkeys((label for _, label in _BUCKETS), 0)
    for value in minutes:
        label = next(label for top, label in _BUCKETS if top is None or value < top)
        counts[label] += 1
    rows: list[dict[str, object]] = [{"key": k, "cases": n} for k, n in counts.items()]
    met = sum(1 for *_, state in found if state != "breached")
    extra: dict[str, object] = {
        "days": days,
        "answered": len(minutes),
        "median_minutes": _quantile(minutes, 0.5),
        "p90_minutes": _quantile(minutes, 0.9),
        "sla_met_share": round(met / len(found), 4) if found else None,
    }
    return _csv_or_json(rows, format, extra)


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return round(values[min(len(values) - 1, int(q * len(values)))], 1)


@router.get("/reports/staffing")
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
        report = staffing_report(request.app.state.database.engine, desk)
    except (ValueError, KeyError) as error:
        return problem(422, f"desk {hours!r} in {timezone!r}: {error}")
    scheduled = Schedule.from_spec(desk).agents
    rows: list[dict[str, object]] = [
        {"hour_of_week": h, "needed": n, "scheduled": s}
        for h, (n, s) in enumerate(zip(report.needed, scheduled, strict=True))
    ]
    extra: dict[str, object] = {
        "waited_over_an_hour": report.waited_over_an_hour,
        "urgent_posts": report.urgent_posts,
        "summary": report.lines(),
    }
    return _csv_or_json(rows, format, extra)
