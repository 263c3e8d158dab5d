"""/api/v1/queues, /cases, /alerts and /authors: the work routing produced, and why.

Queues, cases and case events belong to a tenant: each request sees its principal's tenant
only, and another tenant's case is answered 404, as if it did not exist. Alerts (spikes,
virality, SLA breaches; the table has no tenant) and authors (the public stream) are shared.
Case texts are masked for roles without `personal_data:read`.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request
from pydantic import ConfigDict, Field, model_validator

from rapport.actions import cases as actions
from rapport.auth.roles import Permission
from rapport.care.work import AGENT_EVENTS
from rapport.errors import NotFound
from rapport.pipeline.score import ScoreStage
from rapport.records import Author, PublicMetrics
from rapport.records.alerts import AlertPage
from rapport.records.authors import AuthorProfile, Influence, InfluencePart
from rapport.records.cases import CaseDetail, QueuePage, QueueSummaries
from rapport.score.influence import influence_factors
from rapport.store import Connection
from rapport.store.alerts import list_alerts
from rapport.store.cases import case_tenant as case_tenant  # other routers check tenants here
from rapport.store.cases import get_case, queue, queue_summary
from rapport.web.acting import context_of
from rapport.web.api import desk
from rapport.web.api.posts import masked_text, sees_personal_data
from rapport.web.errors import CONFLICT
from rapport.web.params import Body, Id, id_query
from rapport.web.responses import JSON
from rapport.web.security import Principal, client_ip, clock, require

router = APIRouter(prefix="/api/v1", tags=["care"])

CaseReader = Annotated[Principal, Depends(require(Permission.READ_CASES))]
CaseActor = Annotated[Principal, Depends(require(Permission.ACT_ON_CASES))]
PostReader = Annotated[Principal, Depends(require(Permission.READ_POSTS))]


def masked_case(principal: Principal, case: CaseDetail) -> CaseDetail:
    """The case with its posts' texts masked for a principal without `personal_data:read`."""
    if sees_personal_data(principal):
        return case
    posts = [replace(p, text=masked_text(principal, p.text)) for p in case.posts]
    return replace(case, posts=posts)


def tenant_case(conn: Connection, case_id: int, principal: Principal) -> CaseDetail:
    """The case with its posts and events, masked for the principal; NotFound when it is
    missing or another tenant's (the two answers are the same, so ids leak nothing)."""
    if case_tenant(conn, case_id) != principal.tenant:
        raise NotFound(f"no case with id {case_id}")
    return masked_case(principal, get_case(conn, case_id))


@router.get("/queues", response_model=QueueSummaries)
def list_queues(request: Request, principal: CaseReader) -> JSON:
    """Your tenant's team queues: open and waiting cases, SLA warnings and breaches, the
    next deadline (one row per team, so not paginated)."""
    with request.app.state.database.reading() as conn:
        return JSON(QueueSummaries(items=queue_summary(conn, principal.tenant)))


@router.get("/queues/{team}", response_model=QueuePage)
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
    if not sees_personal_data(principal):
        items = [replace(c, latest_text=masked_text(principal, c.latest_text)) for c in items]
    return JSON(QueuePage(items=items, next_offset=next_offset))


@router.get("/cases/{case_id}", response_model=CaseDetail)
def read_case(request: Request, case_id: Id, principal: CaseReader) -> JSON:
    """A case with its posts (messages, folded duplicates and reposts) and its events."""
    with request.app.state.database.reading() as conn:
        case = tenant_case(conn, case_id, principal)
    return JSON(desk.with_viewers(request, case))


# Sent by the server, never by a client: the SLA results are read from who did what when.
_SERVERS = {
    "actor": "the actor is you, the signed-in user",
    "at": "the time is the server's, when it records the event",
}


class CaseEventIn(Body):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(
        max_length=32,
        json_schema_extra={"enum": list(AGENT_EVENTS)},
        description="A reply is not posted here: POST /cases/{case_id}/replies sends it, and "
        "its sending is recorded.",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_actor_or_time(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, why in _SERVERS.items():
                if name in data:
                    raise ValueError(f"leave out {name!r}: {why}")
        return data


@router.post("/cases/{case_id}/events", response_model=CaseDetail, responses=CONFLICT)
def add_case_event(
    request: Request,
    case_id: Id,
    event: CaseEventIn,
    principal: CaseActor,
    after: BackgroundTasks,
) -> JSON:
    """Record what you did: waiting on the customer (pauses the clock), resolved, reopened.
    Replies are recorded when they are sent (POST /cases/{case_id}/replies); the actor is
    you and the time is now."""
    state = request.app.state
    case = actions.add_case_event(
        context_of(request), principal.user, state.sla_book, case_id, event.kind,
        ip=client_ip(request),
    )  # fmt: skip
    if event.kind == "resolved":
        # How did we do? The survey goes out once the answer is sent, if the customer may be
        # asked: a slow network delays the question, never the agent.
        after.add_task(state.survey_desk.after_resolution, case_id)
    return JSON(masked_case(principal, case))


@router.get("/alerts", response_model=AlertPage)
def read_alerts(
    request: Request,
    principal: CaseReader,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[int | None, id_query("Continue below this alert id.")] = None,
    kind: Literal["spike", "viral", "sla_breach", "rule"] | None = None,
) -> JSON:
    """Spike, viral, SLA and rule alerts, newest first."""
    with request.app.state.database.reading() as conn:
        items = list_alerts(conn, limit=limit, before_id=cursor, kind=kind)
    next_cursor = items[-1].id if len(items) == limit else None
    return JSON(AlertPage(items=items, next_cursor=next_cursor))


@router.get("/authors/{network}/{source_id}", response_model=AuthorProfile)
def read_author(request: Request, network: str, source_id: str, principal: PostReader) -> JSON:
    """An author as last seen, with their influence (0-100) and its parts: reach,
    engagement (of their latest post), verified, and standing in the mention graph."""
    database = request.app.state.database
    author = database.get_author(network, source_id)
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
    influence = Influence(
        score=round(sum(p.contribution for p in parts), 2),
        parts=[
            InfluencePart(p.name, round(p.contribution, 2), of=p.weight, reason=p.reason)
            for p in parts
        ],
    )
    return JSON(AuthorProfile(**asdict(author), influence=influence))
