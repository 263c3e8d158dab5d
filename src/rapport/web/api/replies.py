"""/api/v1/cases/{id}/replies and /api/v1/posts/{id}/corrections: what agents do; and
/api/v1/replies/pending, /approve, /reject: supervisors' review of replies held for approval.

All need a signed-in user whose role may act on cases (a session with its CSRF token, or
an API token), and all are audit-logged.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Header, Query, Request
from pydantic import BaseModel, Field

from rapport.actions.cases import ensure_may_work
from rapport.auth.roles import Permission
from rapport.care.replies import MAX_REPLY_CHARS, PersonalDataInReply
from rapport.care.work import ClaimedByOther, supervises
from rapport.errors import InputError, NotFound
from rapport.nlp.intent import INTENTS
from rapport.store import audit
from rapport.store.case_work import case_head
from rapport.store.corrections import add_correction
from rapport.store.replies import reply_target
from rapport.web.api.desk import hub_of
from rapport.web.responses import JSON, problem
from rapport.web.security import Principal, client_ip, clock, require

router = APIRouter(prefix="/api/v1", tags=["care"])

Agent = Annotated[Principal, Depends(require(Permission.ACT_ON_CASES))]
SENTIMENTS = ("negative", "neutral", "positive")
_CLASS_FIELD = re.compile(r"^class:[a-z0-9_-]{1,64}$")
_LABEL = re.compile(r"^[\w-]{1,64}$")


class ReplyIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_REPLY_CHARS)
    private: bool = Field(default=False, description="Send as a private message.")


@router.post("/cases/{case_id}/replies")
def send_reply(
    request: Request,
    case_id: int,
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
    desk = request.app.state.reply_desk
    with request.app.state.database.reading() as conn:
        try:
            # Tenant and holder first: another tenant's case is not found, whatever its state.
            head = ensure_may_work(conn, case_id, principal.user)
            reply_target(conn, case_id)
        except NotFound as error:
            return problem(404, str(error))
        except ClaimedByOther as error:
            return problem(409, str(error), holder={"id": error.holder_id, "name": error.holder})
        except InputError as error:
            return problem(409, str(error))
    try:
        reply = desk.send(
            case_id, body.text, private=body.private, key=idempotency_key,
            user_id=principal.user.id, needs_approval=principal.user.needs_approval,
        )  # fmt: skip
    except PersonalDataInReply as error:
        findings = [{"kind": f.kind, "start": f.start, "end": f.end, "reason": f.reason}
                    for f in error.findings]  # fmt: skip
        return problem(422, str(error), findings=findings, suggestion="private")
    except InputError as error:
        return problem(409, str(error))
    request.app.state.database.write(
        lambda conn: audit.record(
            conn, principal.tenant, principal.user.id, "case.reply", f"case:{case_id}",
            None, {"reply": reply["id"], "status": reply["status"], "private": body.private},
            client_ip(request),
        )
    )  # fmt: skip
    if reply["status"] == "sent":
        hub_of(request).publish_case(
            principal.tenant, case_id, head.team, "replied", clock(request)
        )
    statuses = {"sent": 201, "failed": 502, "unknown": 202, "pending_approval": 202}
    return JSON(reply, status_code=statuses.get(reply["status"], 200))


@router.get("/replies/pending")
def pending_replies(
    request: Request,
    principal: Agent,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[int | None, Query(description="Continue after this reply id.")] = None,
) -> JSON:
    """Replies waiting for a supervisor's approval, oldest first (supervisors and admins)."""
    if not supervises(principal.user):
        return problem(403, "only a supervisor or an admin reviews replies")
    items = request.app.state.reply_desk.pending(principal.tenant, limit=limit, after=cursor)
    next_cursor = items[-1]["id"] if len(items) == limit else None
    return JSON({"items": items, "next_cursor": next_cursor})


@router.post("/replies/{reply_id}/approve")
def approve_reply(request: Request, reply_id: int, principal: Agent) -> JSON:
    """Send a pending reply as written, recording who approved it; statuses as for a reply."""
    if not supervises(principal.user):
        return problem(403, "only a supervisor or an admin approves replies")
    try:
        reply = request.app.state.reply_desk.approve(reply_id, principal.tenant, principal.user.id)
    except NotFound as error:
        return problem(404, str(error))
    except InputError as error:
        return problem(409, str(error))
    _reviewed(request, principal, "reply.approve", reply)
    if reply["status"] == "sent":
        with request.app.state.database.reading() as conn:
            head = case_head(conn, reply["case_id"], principal.tenant)
        hub_of(request).publish_case(
            principal.tenant, reply["case_id"], head.team, "replied", clock(request)
        )
    statuses = {"sent": 201, "failed": 502, "unknown": 202}
    return JSON(reply, status_code=statuses.get(reply["status"], 200))


class RejectIn(BaseModel):
    reason: str = Field(default="", max_length=1000)


@router.post("/replies/{reply_id}/reject")
def reject_reply(
    request: Request, reply_id: int, principal: Agent, body: RejectIn | None = None
) -> JSON:
    """Refuse a pending reply: it is never sent, and the reason is kept with it."""
    if not supervises(principal.user):
        return problem(403, "only a supervisor or an admin rejects replies")
    reason = body.reason.strip() if body is not None else ""
    reviewer = principal.user.name or principal.user.email
    try:
        reply = request.app.state.reply_desk.reject(reply_id, principal.tenant, reviewer, reason)
    except NotFound as error:
        return problem(404, str(error))
    except InputError as error:
        return problem(409, str(error))
    _reviewed(request, principal, "reply.reject", reply)
    return JSON(reply)


def _reviewed(request: Request, principal: Principal, action: str, reply: dict[str, Any]) -> None:
    request.app.state.database.write(
        lambda conn: audit.record(
            conn, principal.tenant, principal.user.id, action, f"reply:{reply['id']}",
            {"status": "pending_approval"}, {"status": reply["status"]}, client_ip(request),
        )
    )  # fmt: skip


class CorrectionIn(BaseModel):
    field: str = Field(description="sentiment, intent, or class:NAME (a custom classifier).")
    label: str = Field(min_length=1, max_length=64)


@router.post("/posts/{post_id}/corrections")
def correct(request: Request, post_id: int, body: CorrectionIn, principal: Agent) -> JSON:
    """Correct what a model said of a post; the correction becomes a training label
    (`rapport corrections export FIELD`)."""
    problem_text = _check_label(body.field, body.label)
    if problem_text is not None:
        return problem(422, problem_text)

    def job(conn: sa.Connection) -> dict[str, object]:
        found = add_correction(conn, post_id, body.field, body.label,
                               user_id=principal.user.id, tenant=principal.tenant)  # fmt: skip
        audit.record(conn, principal.tenant, principal.user.id, "post.correct",
                     f"post:{post_id}", {body.field: found["previous"]},
                     {body.field: body.label}, client_ip(request))  # fmt: skip
        return found

    try:
        return JSON(request.app.state.database.write(job), status_code=201)
    except NotFound as error:
        return problem(404, str(error))


def _check_label(field: str, label: str) -> str | None:
    if field == "sentiment" and label not in SENTIMENTS:
        return f"sentiment {label!r} is not one of {', '.join(SENTIMENTS)}"
    if field == "intent" and label not in INTENTS:
        return f"intent {label!r} is not a known intent (see docs/models.md)"
    if field not in ("sentiment", "intent") and not _CLASS_FIELD.match(field):
        return f"field {field!r} is not sentiment, intent or class:NAME"
    if not _LABEL.match(label):
        return f"label {label!r} may hold letters, digits, '_' and '-' only"
    return None
