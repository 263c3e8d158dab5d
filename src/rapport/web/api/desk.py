"""/api/v1 for agents working cases: claim and release, the next case, assignment, presence,
notes, tags, snooze, and the live event stream.

Each change is one action of `actions/cases.py`: writes need `cases:act`, stay inside the
user's tenant (another tenant's case is 404), and are audit-logged in the transaction of the
change. A case claimed by someone else answers 409 naming the holder; supervisors and admins
are exempt. Each change is announced on the hub after it commits, which `GET /events` streams
to the console; changes made through other web tiers reach it through the relay
(`care/relay.py`). Presence and round-robin turns are kept in the database, so every tier
shares them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import Field

from rapport.actions import cases as actions
from rapport.actions.presence import Presence
from rapport.auth.roles import Permission
from rapport.care.hub import Hub, Subscription
from rapport.records.cases import AssignmentRun, CaseDetail, Note, NotePage, Viewers
from rapport.store import case_work as work
from rapport.web.acting import context_of, hub_of, shared
from rapport.web.errors import CONFLICT
from rapport.web.params import Body, Id, id_query
from rapport.web.responses import JSON
from rapport.web.security import Principal, client_ip, require

router = APIRouter(prefix="/api/v1", tags=["desk"])

Agent = Annotated[Principal, Depends(require(Permission.ACT_ON_CASES))]
Reader = Annotated[Principal, Depends(require(Permission.READ_CASES))]
PING_SECONDS = 15.0


def presence_of(request: Request) -> Presence:
    return shared(request, "presence", lambda: Presence(request.app.state.database))


def with_viewers(request: Request, case: CaseDetail) -> CaseDetail:
    """The case with who has it open now, on any web tier."""
    return replace(case, viewers=presence_of(request).viewers(case.id))


def _shown(request: Request, case: CaseDetail) -> JSON:
    return JSON(with_viewers(request, case))


@router.post("/cases/{case_id}/claim", response_model=CaseDetail, responses=CONFLICT)
def claim_case(request: Request, case_id: Id, principal: Agent, force: bool = False) -> JSON:
    """Make the case mine. 409 names the holder if someone else has it; a supervisor may take
    it over with `force=true`."""
    case = actions.claim_case(context_of(request), principal.user, case_id, force=force,
                              ip=client_ip(request))  # fmt: skip
    return _shown(request, case)


@router.post("/cases/{case_id}/release", response_model=CaseDetail, responses=CONFLICT)
def release_case(request: Request, case_id: Id, principal: Agent) -> JSON:
    """Give the case back to its queue (its holder, or a supervisor)."""
    case = actions.release_case(context_of(request), principal.user, case_id,
                                ip=client_ip(request))  # fmt: skip
    return _shown(request, case)


@router.post(
    "/queues/{team}/next",
    response_model=CaseDetail,
    responses={204: {"description": "No waiting case I can answer."}},
)
def next_case(request: Request, team: str, principal: Agent) -> JSON | Response:
    """Claim the case of `team` I should answer next: the first in queue order that is open,
    unclaimed and awake, in a language I speak, needing only skills I have. 204: none."""
    case = actions.claim_next(context_of(request), principal.user, team, ip=client_ip(request))
    if case is None:
        return Response(status_code=204)
    return _shown(request, case)


@router.post("/assign/run", response_model=AssignmentRun)
def assign_run(request: Request, principal: Agent) -> JSON:
    """Assign every open, unclaimed, awake case to an agent of its team who can answer it:
    the fewest open cases first, never over their capacity, taking turns among equals."""
    run = actions.run_assignment(context_of(request), principal.user, ip=client_ip(request))
    return JSON(run)


class PresenceIn(Body):
    typing: bool = False


@router.post("/cases/{case_id}/presence", response_model=Viewers)
def presence(request: Request, case_id: Id, body: PresenceIn, principal: Reader) -> JSON:
    """A heartbeat while the case is open on my screen (every few seconds; it lapses after
    20 s): returns who else is on it, and whether they are typing. Not audit-logged: it
    changes nothing, and would flood the log."""
    with request.app.state.database.reading() as conn:
        work.case_head(conn, case_id, principal.tenant)  # another tenant's: 404
    user = principal.user
    viewers = presence_of(request).touch(principal.tenant, case_id, user.id, user.name,
                                         typing=body.typing)  # fmt: skip
    return JSON(Viewers(viewers))


class NoteIn(Body):
    text: str = Field(min_length=1, max_length=5000)


@router.post("/cases/{case_id}/notes", response_model=Note, status_code=201, responses=CONFLICT)
def add_note(request: Request, case_id: Id, body: NoteIn, principal: Agent) -> JSON:
    """An internal note on the case, for the team; never sent to the customer."""
    note = actions.add_note(context_of(request), principal.user, case_id, body.text,
                            ip=client_ip(request))  # fmt: skip
    return JSON(note, status_code=201)


@router.get("/cases/{case_id}/notes", response_model=NotePage)
def list_notes(
    request: Request,
    case_id: Id,
    principal: Reader,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[int | None, id_query("Continue after this note id.")] = None,
) -> JSON:
    """The case's notes, oldest first."""
    with request.app.state.database.reading() as conn:
        work.case_head(conn, case_id, principal.tenant)  # another tenant's: 404
        items = work.notes_of(conn, case_id, limit=limit, after=cursor)
    next_cursor = items[-1].id if len(items) == limit else None
    return JSON(NotePage(items=items, next_cursor=next_cursor))


Tag = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[\w-]+$")]


class TagsIn(Body):
    tags: list[Tag] = Field(max_length=20)


@router.put("/cases/{case_id}/tags", response_model=CaseDetail, responses=CONFLICT)
def set_tags(request: Request, case_id: Id, body: TagsIn, principal: Agent) -> JSON:
    """Replace the case's tags (at most 20, each 1-40 letters, digits, '_' or '-')."""
    case = actions.set_tags(context_of(request), principal.user, case_id, body.tags,
                            ip=client_ip(request))  # fmt: skip
    return _shown(request, case)


class SnoozeIn(Body):
    until: datetime = Field(description="When it comes back to the queue; at most 30 days.")


@router.post("/cases/{case_id}/snooze", response_model=CaseDetail, responses=CONFLICT)
def snooze(request: Request, case_id: Id, body: SnoozeIn, principal: Agent) -> JSON:
    """Hide the case from its queue until `until` (its SLA clock keeps running)."""
    case = actions.snooze_case(context_of(request), principal.user, case_id, body.until,
                               ip=client_ip(request))  # fmt: skip
    return _shown(request, case)


@router.delete("/cases/{case_id}/snooze", response_model=CaseDetail, responses=CONFLICT)
def wake(request: Request, case_id: Id, principal: Agent) -> JSON:
    """Bring a snoozed case back to its queue now."""
    case = actions.wake_case(context_of(request), principal.user, case_id, ip=client_ip(request))
    return _shown(request, case)


async def event_stream(
    hub: Hub, tenant: str, *, ping: float = PING_SECONDS
) -> AsyncIterator[bytes]:
    """Server-Sent Events: `data: <json>` per case event, and a `: ping` comment when quiet
    for `ping` seconds, so proxies keep the connection and the browser notices a dead one."""
    subscription: Subscription = hub.subscribe(tenant, loop=asyncio.get_running_loop())
    try:
        # Sent at once: the client knows it is subscribed, and `retry` paces its reconnects.
        yield b"retry: 3000\n: connected\n\n"
        while True:
            event = await subscription.next(ping)
            yield b": ping\n\n" if event is None else b"data: " + orjson.dumps(event) + b"\n\n"
    finally:
        hub.unsubscribe(subscription)


@router.get(
    "/events",
    response_model=None,
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Server-Sent Events of my tenant's cases.",
            "content": {"text/event-stream": {}},
        }
    },
)
async def events(request: Request, principal: Reader) -> StreamingResponse:
    """Live case events of my tenant, as Server-Sent Events (`text/event-stream`): each is
    `{"type": "case", "id", "team", "change", "at"}`; fetch the case for its content."""
    return StreamingResponse(
        event_stream(hub_of(request), principal.tenant),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
