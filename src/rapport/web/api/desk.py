"""/api/v1 for agents working cases: claim and release, the next case, assignment, presence,
notes, tags, snooze, and the live event stream.

Writes need `cases:act`, stay inside the user's tenant (another tenant's case is 404), and
are audit-logged in the transaction of the change. A case claimed by someone else answers
409 naming the holder; supervisors and admins are exempt. Each change is announced on the
hub, which `GET /events` streams to the console.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar

import orjson
import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from rapport.auth.roles import Permission
from rapport.care import hub as hubs
from rapport.care.assign import Turns
from rapport.care.hub import Change, Hub, Subscription
from rapport.care.presence import Presence
from rapport.errors import InputError, NotFound
from rapport.store import audit
from rapport.store import case_work as work
from rapport.store.cases import get_case
from rapport.web.responses import JSON, problem
from rapport.web.security import Principal, client_ip, clock, require

router = APIRouter(prefix="/api/v1", tags=["desk"])

Agent = Annotated[Principal, Depends(require(Permission.ACT_ON_CASES))]
Reader = Annotated[Principal, Depends(require(Permission.READ_CASES))]
PING_SECONDS = 15.0
MAX_SNOOZE = timedelta(days=30)
T = TypeVar("T")
_state_lock = threading.Lock()


def _shared(request: Request, name: str, make: Callable[[], T]) -> T:
    """An object kept on `app.state`, made the first time a request needs it."""
    state = request.app.state
    with _state_lock:
        found: T | None = getattr(state, name, None)
        if found is None:
            found = make()
            setattr(state, name, found)
        return found


def hub_of(request: Request) -> Hub:
    # The process-wide hub by default, so the pipeline's persist stage reaches the same one.
    return _shared(request, "hub", hubs.default)


def presence_of(request: Request) -> Presence:
    return _shared(request, "presence", Presence)


def case_viewers(request: Request, case_id: int) -> list[dict[str, Any]]:
    """Who has the case open now; `GET /cases/{id}` adds it to the case as `viewers`."""
    return presence_of(request).viewers(case_id)


def _announce(request: Request, principal: Principal, head: work.CaseHead, change: Change) -> None:
    hub_of(request).publish_case(principal.tenant, head.id, head.team, change, clock(request))


def _refused(error: Exception) -> JSON:
    if isinstance(error, NotFound):
        return problem(404, str(error))
    if isinstance(error, work.ClaimedByOther):
        return problem(409, str(error), holder={"id": error.holder_id, "name": error.holder})
    return problem(409, str(error))


def _supervisor(principal: Principal) -> JSON | None:
    if work.supervises(principal.user):
        return None
    return problem(403, "only a supervisor or an admin may do this")


def _change(
    request: Request,
    principal: Principal,
    case_id: int,
    action: str,
    change: Callable[[sa.Connection, work.CaseHead], tuple[Any, Any]],
    announce: Change,
    *,
    check: Callable[[sa.Connection], work.CaseHead] | None = None,
) -> JSON:
    """Check the user may change the case, change it, audit it, announce it; the case after."""

    def job(conn: sa.Connection) -> tuple[work.CaseHead, dict[str, Any]]:
        head = (check or (lambda c: work.ensure_may_work(c, case_id, principal.user)))(conn)
        before, after = change(conn, head)
        audit.record(conn, principal.tenant, principal.user.id, action, f"case:{case_id}",
                     before, after, client_ip(request))  # fmt: skip
        return head, get_case(conn, case_id)

    try:
        head, case = request.app.state.database.write(job)
    except (NotFound, InputError, work.ClaimedByOther) as error:
        return _refused(error)
    _announce(request, principal, head, announce)
    case["viewers"] = case_viewers(request, case_id)
    return JSON(case)


def _holder(head: work.CaseHead) -> dict[str, Any] | None:
    return (
        None if head.assignee_id is None else {"id": head.assignee_id, "name": head.assignee_name}
    )


@router.post("/cases/{case_id}/claim")
def claim_case(request: Request, case_id: int, principal: Agent, force: bool = False) -> JSON:
    """Make the case mine. 409 names the holder if someone else has it; a supervisor may take
    it over with `force=true`."""
    if force and (refused := _supervisor(principal)) is not None:
        return refused
    now = clock(request)

    def change(conn: sa.Connection, head: work.CaseHead) -> tuple[Any, Any]:
        work.claim(conn, case_id, principal.user, now=now, force=force)
        return _holder(head), {"id": principal.user.id, "name": principal.user.name}

    return _change(request, principal, case_id, "case.claim", change, "claimed",
                   check=lambda conn: work.case_head(conn, case_id, principal.tenant))  # fmt: skip


@router.post("/cases/{case_id}/release")
def release_case(request: Request, case_id: int, principal: Agent) -> JSON:
    """Give the case back to its queue (its holder, or a supervisor)."""
    now = clock(request)

    def change(conn: sa.Connection, head: work.CaseHead) -> tuple[Any, Any]:
        work.release(conn, case_id, principal.user, now=now)
        return _holder(head), None

    return _change(request, principal, case_id, "case.release", change, "released")


@router.post("/queues/{team}/next", response_model=None)
def next_case(request: Request, team: str, principal: Agent) -> JSON | Response:
    """Claim the case of `team` I should answer next: the first in queue order that is open,
    unclaimed and awake, in a language I speak, needing only skills I have. 204: none."""
    now = clock(request)

    def job(conn: sa.Connection) -> dict[str, Any] | None:
        case_id = work.claim_next(conn, team, principal.user, now=now)
        if case_id is None:
            return None
        audit.record(conn, principal.tenant, principal.user.id, "case.claim", f"case:{case_id}",
                     None, {"id": principal.user.id, "next": team}, client_ip(request))  # fmt: skip
        return get_case(conn, case_id)

    case = request.app.state.database.write(job)
    if case is None:
        return Response(status_code=204)
    hub_of(request).publish_case(principal.tenant, case["id"], team, "claimed", now)
    case["viewers"] = case_viewers(request, case["id"])
    return JSON(case)


@router.post("/assign/run")
def assign_run(request: Request, principal: Agent) -> JSON:
    """Assign every open, unclaimed, awake case to an agent of its team who can answer it:
    the fewest open cases first, never over their capacity, taking turns among equals."""
    if (refused := _supervisor(principal)) is not None:
        return refused
    now = clock(request)
    turns = _shared(request, "assignment_turns", Turns)

    def job(conn: sa.Connection) -> tuple[list[tuple[int, int, str]], int]:
        assigned, unassigned = work.assign_waiting(conn, principal.tenant, turns, now=now)
        audit.record(conn, principal.tenant, principal.user.id, "case.assign", "cases", None,
                     {"assigned": [[c, a] for c, a, _ in assigned], "unassigned": unassigned},
                     client_ip(request))  # fmt: skip
        return assigned, unassigned

    assigned, unassigned = request.app.state.database.write(job)
    hub = hub_of(request)
    for case_id, _agent, team in assigned:
        hub.publish_case(principal.tenant, case_id, team, "claimed", now)
    return JSON({"assigned": len(assigned), "unassigned": unassigned})


class PresenceIn(BaseModel):
    typing: bool = False


@router.post("/cases/{case_id}/presence")
def presence(request: Request, case_id: int, body: PresenceIn, principal: Reader) -> JSON:
    """A heartbeat while the case is open on my screen (every few seconds; it lapses after
    20 s): returns who else is on it, and whether they are typing. Not audit-logged: it
    changes nothing, and would flood the log."""
    try:
        with request.app.state.database.reading() as conn:
            work.case_head(conn, case_id, principal.tenant)
    except NotFound as error:
        return problem(404, str(error))
    user = principal.user
    viewers = presence_of(request).touch(case_id, user.id, user.name, typing=body.typing)
    return JSON({"viewers": viewers})


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=5000)


@router.post("/cases/{case_id}/notes")
def add_note(request: Request, case_id: int, body: NoteIn, principal: Agent) -> JSON:
    """An internal note on the case, for the team; never sent to the customer."""
    text = body.text.strip()
    if not text:
        return problem(422, "a note needs some text")
    now = clock(request)

    def job(conn: sa.Connection) -> tuple[work.CaseHead, dict[str, Any]]:
        head = work.ensure_may_work(conn, case_id, principal.user)
        note = work.add_note(conn, case_id, principal.user.id, text, now=now)
        audit.record(conn, principal.tenant, principal.user.id, "case.note", f"case:{case_id}",
                     None, {"note": note["id"]}, client_ip(request))  # fmt: skip
        return head, note

    try:
        head, note = request.app.state.database.write(job)
    except (NotFound, work.ClaimedByOther) as error:
        return _refused(error)
    _announce(request, principal, head, "note")
    return JSON(note, status_code=201)


@router.get("/cases/{case_id}/notes")
def list_notes(
    request: Request,
    case_id: int,
    principal: Reader,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[int | None, Query(description="Continue after this note id.")] = None,
) -> JSON:
    """The case's notes, oldest first."""
    try:
        with request.app.state.database.reading() as conn:
            work.case_head(conn, case_id, principal.tenant)
            items = work.notes_of(conn, case_id, limit=limit, after=cursor)
    except NotFound as error:
        return problem(404, str(error))
    next_cursor = items[-1]["id"] if len(items) == limit else None
    return JSON({"items": items, "next_cursor": next_cursor})


Tag = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[\w-]+$")]


class TagsIn(BaseModel):
    tags: list[Tag] = Field(max_length=20)


@router.put("/cases/{case_id}/tags")
def set_tags(request: Request, case_id: int, body: TagsIn, principal: Agent) -> JSON:
    """Replace the case's tags (at most 20, each 1-40 letters, digits, '_' or '-')."""
    now = clock(request)
    return _change(request, principal, case_id, "case.tags",
                   lambda conn, _: work.set_tags(conn, case_id, body.tags, now=now),
                   "updated")  # fmt: skip


class SnoozeIn(BaseModel):
    until: datetime = Field(description="When it comes back to the queue; at most 30 days.")


@router.post("/cases/{case_id}/snooze")
def snooze(request: Request, case_id: int, body: SnoozeIn, principal: Agent) -> JSON:
    """Hide the case from its queue until `until` (its SLA clock keeps running)."""
    now = clock(request)
    until = body.until
    if until.tzinfo is None:
        return problem(422, "'until' needs a time zone, for example 2026-11-25T10:00:00Z")
    if until <= now or until - now > MAX_SNOOZE:
        return problem(
            422, f"'until' must be in the future and at most {MAX_SNOOZE.days} days away"
        )

    def change(conn: sa.Connection, head: work.CaseHead) -> tuple[Any, Any]:
        work.snooze(conn, case_id, until, user_id=principal.user.id, now=now)
        return {"snoozed_until": head.snoozed_until}, {"snoozed_until": until}

    return _change(request, principal, case_id, "case.snooze", change, "snoozed")


@router.delete("/cases/{case_id}/snooze")
def wake(request: Request, case_id: int, principal: Agent) -> JSON:
    """Bring a snoozed case back to its queue now."""
    now = clock(request)

    def change(conn: sa.Connection, head: work.CaseHead) -> tuple[Any, Any]:
        work.snooze(conn, case_id, None, user_id=principal.user.id, now=now)
        return {"snoozed_until": head.snoozed_until}, {"snoozed_until": None}

    return _change(request, principal, case_id, "case.wake", change, "updated")


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


@router.get("/events", response_model=None)
async def events(request: Request, principal: Reader) -> StreamingResponse:
    """Live case events of my tenant, as Server-Sent Events (`text/event-stream`): each is
    `{"type": "case", "id", "team", "change", "at"}`; fetch the case for its content."""
    return StreamingResponse(
        event_stream(hub_of(request), principal.tenant),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
