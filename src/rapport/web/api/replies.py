"""/api/v1/cases/{id}/replies and /api/v1/posts/{id}/corrections: what agents do; and
/api/v1/replies/pending, /approve, /reject: supervisors' review of replies held for approval.

All need a signed-in user whose role may act on cases (a session with its CSRF token, or
an API token), and all are audit-logged.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from pydantic import Field

from rapport.actions import corrections as correcting
from rapport.actions import replies as replying
from rapport.actions.cases import ensure_may_work
from rapport.auth.roles import Permission
from rapport.care.replies import MAX_REPLY_CHARS
from rapport.care.work import ClaimedByOther, supervises
from rapport.errors import Conflict, Forbidden
from rapport.records.corrections import Correction
from rapport.records.replies import PendingReplies, Reply
from rapport.store.replies import pending_replies
from rapport.web.acting import actor_of, context_of
from rapport.web.errors import CONFLICT, Problem
from rapport.web.params import Body, Id, id_query
from rapport.web.responses import JSON
from rapport.web.security import Principal, require

router = APIRouter(prefix="/api/v1", tags=["care"])

Agent = Annotated[Principal, Depends(require(Permission.ACT_ON_CASES))]
STATUS_OF_REPLY = {"sent": 201, "failed": 502, "unknown": 202, "pending_approval": 202}
_OUTCOMES: dict[int | str, dict[str, Any]] = {
    201: {"model": Reply, "description": "Sent."},
    202: {"model": Reply, "description": "Its fate is unknown, or it waits for approval."},
    502: {"model": Reply, "description": "The network refused it."},
    409: {"model": Problem, "description": "Claimed by someone else, or not pending."},
}


class ReplyIn(Body):
    text: str = Field(min_length=1, max_length=MAX_REPLY_CHARS)
    private: bool = Field(default=False, description="Send as a private message.")


@router.post("/cases/{case_id}/replies", response_model=Reply, responses=_OUTCOMES)
def send_reply(
    request: Request,
    case_id: Id,
    body: ReplyIn,
    principal: Agent,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> JSON:
    """Reply to the customer's newest post in the case, publicly or privately.

    422 when a public reply would expose personal data (the findings say what and where;
    send it with `private: true` instead). The same `Idempotency-Key` sends once. 201: sent;
    502: the network refused it; 202: its fate is unknown (check the thread, never resent),
    or it waits for a supervisor's approval (`status: pending_approval`). 409 names the
    holder when someone else has claimed the case.
    """
    with request.app.state.database.reading() as conn:
        try:
            # Tenant and holder first: another tenant's case is not found, whatever its state.
            ensure_may_work(conn, case_id, principal.user)
        except ClaimedByOther as error:
            holder = {"id": error.holder_id, "name": error.holder}
            raise Conflict(str(error), holder=holder) from error
    reply = replying.send_reply(
        context_of(request), request.app.state.reply_desk, case_id, body.text,
        actor=actor_of(request, principal), private=body.private, key=idempotency_key,
        needs_approval=principal.user.needs_approval,
    )  # fmt: skip
    return JSON(reply, status_code=STATUS_OF_REPLY.get(reply.status, 200))


@router.get("/replies/pending", response_model=PendingReplies)
def read_pending_replies(
    request: Request,
    principal: Agent,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[int | None, id_query("Continue after this reply id.")] = None,
) -> JSON:
    """Replies waiting for a supervisor's approval, oldest first (supervisors and admins)."""
    _must_supervise(principal, "reviews")
    with request.app.state.database.reading() as conn:
        items = pending_replies(conn, principal.tenant, limit=limit, after=cursor)
    next_cursor = items[-1].id if len(items) == limit else None
    return JSON(PendingReplies(items, next_cursor))


@router.post("/replies/{reply_id}/approve", response_model=Reply, responses=_OUTCOMES)
def approve_reply(request: Request, reply_id: Id, principal: Agent) -> JSON:
    """Send a pending reply as written, recording who approved it; statuses as for a reply."""
    _must_supervise(principal, "approves")
    reply = replying.approve_reply(
        context_of(request), request.app.state.reply_desk, reply_id,
        actor=actor_of(request, principal),
    )  # fmt: skip
    return JSON(reply, status_code=STATUS_OF_REPLY.get(reply.status, 200))


class RejectIn(Body):
    reason: str = Field(default="", max_length=1000)


@router.post("/replies/{reply_id}/reject", response_model=Reply, responses=CONFLICT)
def reject_reply(
    request: Request, reply_id: Id, principal: Agent, body: RejectIn | None = None
) -> JSON:
    """Refuse a pending reply: it is never sent, and the reason is kept with it."""
    _must_supervise(principal, "rejects")
    reply = replying.reject_reply(
        context_of(request), reply_id, actor=actor_of(request, principal),
        reviewer=principal.user.name or principal.user.email,
        reason=body.reason.strip() if body is not None else "",
    )  # fmt: skip
    return JSON(reply)


def _must_supervise(principal: Principal, verb: str) -> None:
    if not supervises(principal.user):
        raise Forbidden(f"only a supervisor or an admin {verb} replies")


class CorrectionIn(Body):
    field: str = Field(description="sentiment, intent, or class:NAME (a custom classifier).")
    label: str = Field(min_length=1, max_length=64)


@router.post("/posts/{post_id}/corrections", response_model=Correction, status_code=201)
def correct(request: Request, post_id: Id, body: CorrectionIn, principal: Agent) -> JSON:
    """Correct what a model said of a post; the correction becomes a training label
    (`rapport corrections export FIELD`)."""
    found = correcting.correct_label(
        context_of(request), post_id, body.field, body.label, actor=actor_of(request, principal)
    )
    return JSON(found, status_code=201)
