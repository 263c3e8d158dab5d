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
from rapport.store import schema
from rapport.web.responses import JSON
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
