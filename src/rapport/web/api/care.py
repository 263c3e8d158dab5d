"""/api/v1/queues, /cases, /alerts and /authors: the work routing produced, and why.

Queues, cases and case events belong to a tenant: each request sees its principal's tenant
only, and another tenant's case is answered 404, as if it did not exist. Alerts (spikes,
virality, SLA breaches; the table has no tenant) and authors (the public stream) are shared.
Case texts are masked for roles without `personal_data:read`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request
from pydantic import BaseModel, Field

from rapport.auth.roles import Permission
from rapport.errors import InputError, NotFound
from rapport.pipeline.score import ScoreStage
from rapport.records import Author, PublicMetrics
from rapport.score.influence import influence_factors
from rapport.store import audit, schema
from rapport.store.alerts import list_alerts
from rapport.store.case_work import ClaimedByOther, ensure_may_work
from rapport.store.cases import get_case, queue, queue_summary, record_agent_event
from rapport.web.api import desk
from rapport.web.api.posts import masked
from rapport.web.responses import JSON, problem
from rapport.web.security import Principal, client_ip, clock, require

router = APIRouter(prefix="/api/v1", tags=["care"])

CaseReader = Annotated[Principal, Depends(require(Permission.READ_CASES))]
CaseActor = Annotated[Principal, Depends(require(Permission.ACT_ON_CASES))]
PostReader = Annotated[Principal, Depends(require(Permission.READ_POSTS))]


def case_tenant(conn: sa.Connection, case_id: int) -> str | None:
    """The tenant a case belongs to; None when there is no such case."""
    cases = schema.cases
    found = conn.execute(sa.select(cases.c.tenant).where(cases.c.id == case_id)).scalar()
    return None if found is None else str(found)


def tenant_case(conn: sa.Connection, case_id: int, principal: Principal) -> dict[str, Any]:
    """The case with its posts and events, masked for the principal; NotFound when it is
    missing or another tenant's (the two answers are the same, so ids leak nothing)."""
    if case_tenant(conn, case_id) != principal.tenant:
        raise NotFound(f"no case with id {case_id}")
    case = get_case(conn, case_id)
    masked(principal, case.get("posts", []))
    return case


@router.get("/queues")
def list_queues(request: Request, principal: CaseReader) -> JSON:
    """Your tenant's team queues: open and waiting cases, SLA warnings and breaches, the
    next deadline (one row per team, so not paginated)."""
    with request.app.state.database.reading() as conn:
        return JSON({"items": queue_summary(conn, principal.tenant)})


@router.get("/queues/{team}")
def team_queue(
    request: Request,
    team: str,
    principal: CaseReader,
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    status: Literal["open", "pending", "resolved"] = "open",
) -> JSON:
    """A team's cases in the order to answer them (priority, then the nearest deadline),
    each with the reasons for its priority."""
    with request.app.state.database.reading() as conn:
        items = queue(conn, team, limit=limit, offset=offset, status=status,
                      now=clock(request), tenant=principal.tenant)  # fmt: skip
    next_offset = offset + limit if len(items) == limit else None
    return JSON({"items": masked(principal, items, "latest_text"), "next_offset": next_offset})


@router.get("/cases/{case_id}")
def read_case(request: Request, case_id: int, principal: CaseReader) -> JSON:
    """A case with its posts (messages, folded duplicates and reposts) and its events."""
    try:
        with request.app.state.database.reading() as conn:
            case = tenant_case(conn, case_id, principal)
    except NotFound as error:
        return problem(404, str(error))
    case["viewers"] = desk.case_viewers(request, case_id)
    return JSON(case)


class CaseEventIn(BaseModel):
    kind: Literal["agent_reply", "waiting_on_customer", "resolved", "reopened"]
    actor: str = Field(default="", max_length=128)
    at: datetime | None = Field(default=None, description="When it happened; default now.")


@router.post("/cases/{case_id}/events")
def add_case_event(
    request: Request,
    case_id: int,
    event: CaseEventIn,
    principal: CaseActor,
    after: BackgroundTasks,
) -> JSON:
    """Record what an agent did: a reply (stops the first- or next-response clock), waiting
    on the customer (pauses the clock), resolved, reopened. `actor` defaults to you."""
    if event.at is not None and event.at.tzinfo is None:
        return problem(422, "'at' needs a time zone, for example 2026-11-25T10:00:00Z")
    state = request.app.state
    actor = event.actor or principal.user.name or principal.user.email
    ip = client_ip(request)

    def job(conn: sa.Connection) -> dict[str, Any]:
        ensure_may_work(conn, case_id, principal.user)  # another tenant's: 404; claimed: 409
        before = conn.execute(
            sa.select(schema.cases.c.status).where(schema.cases.c.id == case_id)
        ).scalar()
        case = record_agent_event(conn, state.sla_book, case_id, event.kind, actor=actor,
                                  at=event.at)  # fmt: skip
        audit.record(conn, principal.tenant, principal.user.id, f"case.{event.kind}",
                     f"case:{case_id}", {"status": before}, {"status": case["status"]},
                     ip)  # fmt: skip
        masked(principal, case.get("posts", []))
        return case

    try:
        case = state.database.write(job)
    except NotFound as error:
        return problem(404, str(error))
    except (InputError, ClaimedByOther) as error:
        return problem(409, str(error))
    hub = desk.hub_of(request)
    if event.kind == "resolved":
        hub.publish_case(principal.tenant, case_id, case["team"], "resolved")
        # How did we do? The survey goes out once the answer is sent, if the customer may be
        # asked: a slow network delays the question, never the agent.
        after.add_task(state.survey_desk.after_resolution, case_id)
    else:
        hub.publish_case(principal.tenant, case_id, case["team"], "updated")
    return JSON(case)


@router.get("/alerts")
def read_alerts(
    request: Request,
    principal: CaseReader,
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
def read_author(request: Request, network: str, source_id: str, principal: PostReader) -> JSON:
    """An author as last seen, with their influence (0-100) and its parts: reach,
    engagement (of their latest post), verified, and standing in the mention graph."""
    database = request.app.state.database
    try:
        author = database.get_author(network, source_id)
    except NotFound as error:
        return problem(404, str(error))
    metrics = database.latest_post_of(network, source_id) or PublicMetrics()
    record = Author(
        source_id=source_id,
        handle=author.handle,
        followers=author.followers,
        verified=author.verified,
    )
    stage = next((s for s in request.app.state.runner.stages if isinstance(s, ScoreStage)), None)
    standing = stage.graph.standing_and_reason(record.handle) if stage is not None else None
    parts = influence_factors(record, metrics, standing=standing)
    shown = asdict(author)
    shown["influence"] = {
        "score": round(sum(p.contribution for p in parts), 2),
        "parts": [
            {"name": p.name, "points": round(p.contribution, 2), "of": p.weight, "reason": p.reason}
            for p in parts
        ],
    }
    return JSON(shown)
