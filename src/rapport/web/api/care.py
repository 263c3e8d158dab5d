"""/api/v1/queues, /cases, /alerts and /authors: the work routing produced, and why."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from rapport.errors import InputError, NotFound
from rapport.pipeline.score import ScoreStage
from rapport.records import Author, PublicMetrics
from rapport.score.influence import influence_factors
from rapport.store.alerts import list_alerts
from rapport.store.cases import get_case, queue, queue_summary, record_agent_event
from rapport.web.responses import JSON, problem

router = APIRouter(prefix="/api/v1", tags=["care"])


@router.get("/queues")
def list_queues(request: Request) -> JSON:
    """Every team queue: open and waiting cases, SLA warnings and breaches, next deadline."""
    with request.app.state.database.reading() as conn:
        return JSON({"items": queue_summary(conn)})


@router.get("/queues/{team}")
def team_queue(
    request: Request,
    team: str,
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    status: Literal["open", "pending", "resolved"] = "open",
) -> JSON:
    """A team's cases in the order to answer them (priority, then the nearest deadline),
    each with the reasons for its priority."""
    with request.app.state.database.reading() as conn:
        items = queue(conn, team, limit=limit, offset=offset, status=status)
    next_offset = offset + limit if len(items) == limit else None
    return JSON({"items": items, "next_offset": next_offset})


@router.get("/cases/{case_id}")
def read_case(request: Request, case_id: int) -> JSON:
    """A case with its posts (messages, folded duplicates and reposts) and its events."""
    try:
        with request.app.state.database.reading() as conn:
            return JSON(get_case(conn, case_id))
    except NotFound as error:
        return problem(404, str(error))


class CaseEventIn(BaseModel):
    kind: Literal["agent_reply", "waiting_on_customer", "resolved", "reopened"]
    actor: str = Field(default="", max_length=128)
    at: datetime | None = Field(default=None, description="When it happened; default now.")


@router.post("/cases/{case_id}/events")
def add_case_event(request: Request, case_id: int, event: CaseEventIn) -> JSON:
    """Record what an agent did: a reply (stops the first- or next-response clock), waiting
    on the customer (pauses the clock), resolved, reopened."""
    if event.at is not None and event.at.tzinfo is None:
        return problem(422, "'at' needs a time zone, for example 2026-11-25T10:00:00Z")
    state = request.app.state
    try:
        case = state.database.write(
            lambda conn: record_agent_event(
                conn, state.sla_book, case_id, event.kind, actor=event.actor, at=event.at
            )
        )
    except NotFound as error:
        return problem(404, str(error))
    except InputError as error:
        return problem(409, str(error))
    return JSON(case)


@router.get("/alerts")
def read_alerts(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[int | None, Query(description="Continue below this alert id.")] = None,
    kind: Literal["spike", "viral", "sla_breach", "rule"] | None = None,
) -> JSON:
    """Spike, viral, SLA and rule alerts, newest first."""
    with request.app.state.database.reading() as conn:
        items = list_alerts(conn, limit=limit, before_id=cursor, kind=kind)
    next_cursor = items[-1]["id"] if len(items) == limit else None
    return JSON({"items": items, "next_cursor": next_cursor})


@router.get("/authors/{network}/{source_id}")
def read_author(request: Request, network: str, source_id: str) -> JSON:
    """An author as last seen, with their influence (0-100) and its parts: reach,
    engagement (of their latest post), verified, and standing in the mention graph."""
    database = request.app.state.database
    try:
        author = database.get_author(network, source_id)
    except NotFound as error:
        return problem(404, str(error))
    latest = database.latest_post_of(network, source_id)
    metrics = PublicMetrics(**latest) if latest else PublicMetrics()
    record = Author(
        source_id=source_id,
        handle=author["handle"],
        followers=author["followers"],
        verified=bool(author["verified"]),
    )
    stage = next((s for s in request.app.state.runner.stages if isinstance(s, ScoreStage)), None)
    standing = stage.graph.standing_and_reason(record.handle) if stage is not None else None
    parts = influence_factors(record, metrics, standing=standing)
    author["influence"] = {
        "score": round(sum(p.contribution for p in parts), 2),
        "parts": [
            {"name": p.name, "points": round(p.contribution, 2), "of": p.weight, "reason": p.reason}
            for p in parts
        ],
    }
    return JSON(author)
