"""/api/v1/customers: one customer across handles and networks, with their history.

A customer is a set of (network, author id) handles, linked per tenant; an author with no
link is a customer of their own. Reading needs `cases:read`, linking and unlinking
`cases:act`; both changes are audit-logged. Cases, tags and notes are your tenant's only;
posts and their sentiment are the public stream. Texts are masked for roles without
`personal_data:read`.
"""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from rapport.auth.roles import Permission
from rapport.errors import NotFound
from rapport.store import audit, relationship
from rapport.store import customers as store
from rapport.web.api.posts import masked
from rapport.web.responses import JSON, problem
from rapport.web.security import Principal, client_ip, clock, require

router = APIRouter(prefix="/api/v1", tags=["customers"])

Reader = Annotated[Principal, Depends(require(Permission.READ_CASES))]
Agent = Annotated[Principal, Depends(require(Permission.ACT_ON_CASES))]
MAX_HANDLES = 50


class HandleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    network: str = Field(min_length=1, max_length=32)
    author_source_id: str = Field(min_length=1, max_length=64)


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    handles: list[HandleIn] = Field(min_length=2, max_length=MAX_HANDLES)


def _handles_json(conn: sa.Connection, handles: list[store.Handle]) -> list[dict[str, Any]]:
    names = store.known_authors(conn, handles)
    return [{"network": n, "author_source_id": a, "handle": names.get((n, a))} for n, a in handles]


@router.get("/customers/{network}/{author_source_id}")
def read_customer(
    request: Request,
    network: str,
    author_source_id: str,
    principal: Reader,
    limit: Annotated[int, Query(ge=1, le=200, description="Cases per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> JSON:
    """The customer this handle belongs to: their handles, their cases in your tenant
    (newest first, paginated), sentiment per day over 90 days, tags, the latest 20 notes,
    and how many posts they wrote."""
    handle = (network, author_source_id)
    now = clock(request)
    database = request.app.state.database
    with database.reading() as conn:
        customer_id, handles = store.customer_of(conn, principal.tenant, handle)
    # Before the reads below begin, so that they see every post stored until now.
    authored = database.posts_of(handles)
    with database.reading() as conn:
        shown = _handles_json(conn, handles)
        if all(h["handle"] is None for h in shown) and customer_id == store.natural_id(handle):
            return problem(404, f"no author {author_source_id!r} on {network}")
        cases = store.customer_cases(conn, principal.tenant, handles, limit=limit, offset=offset)
        sentiment = store.customer_sentiment(conn, authored, now=now)
        history = relationship.nps_history(conn, principal.tenant, handles)
        events = relationship.timeline(conn, principal.tenant, handles, authored)
        engaged = relationship.time_engaged_minutes(conn, principal.tenant, handles)
        body = {
            "customer_id": customer_id,
            "handles": shown,
            "cases": masked(principal, cases, "latest_text"),
            "next_offset": offset + limit if len(cases) == limit else None,
            "sentiment": sentiment,
            "tags": store.customer_tags(conn, principal.tenant, handles),
            "notes": masked(principal, store.customer_notes(conn, principal.tenant, handles)),
            "posts": store.customer_post_count(conn, authored),
            "nps_history": history,
            "time_engaged_minutes": engaged,
            "health": relationship.health(sentiment, history, cases, now=now),
            "timeline": masked(principal, events),
        }
    return JSON(body)


@router.post("/customers/link")
def link_customers(request: Request, body: LinkIn, principal: Agent) -> JSON:
    """Make these handles one customer, merging the customers they belonged to."""
    handles = list(dict.fromkeys((h.network, h.author_source_id) for h in body.handles))
    if len(handles) < 2:
        return problem(422, "send at least two different handles to link")
    ip, now = client_ip(request), clock(request)

    def job(conn: sa.Connection) -> dict[str, Any]:
        unknown = [
            store.natural_id(h) for h in handles if h not in store.known_authors(conn, handles)
        ]
        if unknown:
            raise NotFound(f"no such author(s): {', '.join(unknown)}")
        before = {store.natural_id(h): store.customer_of(conn, principal.tenant, h)[0]
                  for h in handles}  # fmt: skip
        customer_id = store.link(conn, principal.tenant, handles, now=now)
        members = store.customer_of(conn, principal.tenant, handles[0])[1]
        after = {"customer_id": customer_id, "handles": [store.natural_id(h) for h in members]}
        audit.record(conn, principal.tenant, principal.user.id, "customer.link",
                     f"customer:{customer_id}", before, after, ip, at=now)  # fmt: skip
        return {"customer_id": customer_id, "handles": _handles_json(conn, members)}

    try:
        return JSON(request.app.state.database.write(job))
    except NotFound as error:
        return problem(422, str(error))
    except store.LinkedElsewhere as error:
        return problem(409, str(error))


@router.delete("/customers/{network}/{author_source_id}/link")
def unlink_customer(
    request: Request, network: str, author_source_id: str, principal: Agent
) -> JSON:
    """Make this handle a customer of its own again."""
    handle = (network, author_source_id)
    ip, now = client_ip(request), clock(request)

    def job(conn: sa.Connection) -> dict[str, Any]:
        left, remaining = store.unlink(conn, principal.tenant, handle)
        after = {"customer_id": store.natural_id(handle),
                 "remaining": [store.natural_id(h) for h in remaining]}  # fmt: skip
        audit.record(conn, principal.tenant, principal.user.id, "customer.unlink",
                     f"customer:{left}", {"customer_id": left}, after, ip, at=now)  # fmt: skip
        return {"customer_id": store.natural_id(handle), "left": left,
                "remaining": _handles_json(conn, remaining)}  # fmt: skip

    try:
        return JSON(request.app.state.database.write(job))
    except NotFound as error:
        return problem(404, str(error))
