"""/api/v1/customers: one customer across handles and networks, with their history.

A customer is a set of (network, author id) handles, linked per tenant; an author with no
link is a customer of their own. Reading needs `cases:read`, linking and unlinking
`cases:act`; both changes are audit-logged. Cases, tags and notes are your tenant's only;
posts and their sentiment are the public stream. Texts are masked for roles without
`personal_data:read`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ConfigDict, Field

from rapport.actions import customers as acting
from rapport.auth.roles import Permission
from rapport.care.relationship import health
from rapport.errors import NotFound
from rapport.records.customers import Customer, LinkedCustomer, Unlinked
from rapport.store import customers as store
from rapport.store import relationship
from rapport.web.acting import actor_of, context_of
from rapport.web.api.posts import masked_text
from rapport.web.params import Body
from rapport.web.responses import JSON
from rapport.web.security import Principal, clock, require

router = APIRouter(prefix="/api/v1", tags=["customers"])

Reader = Annotated[Principal, Depends(require(Permission.READ_CASES))]
Agent = Annotated[Principal, Depends(require(Permission.ACT_ON_CASES))]
MAX_HANDLES = 50
T = TypeVar("T")


class HandleIn(Body):
    model_config = ConfigDict(extra="forbid")
    network: str = Field(min_length=1, max_length=32)
    author_source_id: str = Field(min_length=1, max_length=64)


class LinkIn(Body):
    model_config = ConfigDict(extra="forbid")
    handles: list[HandleIn] = Field(min_length=2, max_length=MAX_HANDLES)


def _masked(principal: Principal, items: Iterable[T], field: str = "text") -> tuple[T, ...]:
    """`items` with their text `field`, where they have one, as this principal may see it."""
    shown: list[T] = []
    for item in items:
        text = getattr(item, field, None)
        if isinstance(text, str):
            changes: dict[str, Any] = {field: masked_text(principal, text)}
            item = dataclasses.replace(item, **changes)  # type: ignore[type-var]
        shown.append(item)
    return tuple(shown)


@router.get("/customers/{network}/{author_source_id}", response_model=Customer)
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
    tenant = principal.tenant
    with database.reading() as conn:
        customer_id, handles = store.customer_of(conn, tenant, handle)
    # Before the reads below begin, so that they see every post stored until now.
    authored = database.posts_of(handles)
    with database.reading() as conn:
        shown = store.customer_handles(conn, handles)
        if all(h.handle is None for h in shown) and customer_id == store.natural_id(handle):
            raise NotFound(f"no author {author_source_id!r} on {network}")
        cases = store.customer_cases(conn, tenant, handles, limit=limit, offset=offset)
        sentiment = store.customer_sentiment(conn, authored, now=now)
        history = relationship.nps_history(conn, tenant, handles)
        customer = Customer(
            customer_id=customer_id,
            handles=shown,
            cases=_masked(principal, cases, "latest_text"),
            next_offset=offset + limit if len(cases) == limit else None,
            sentiment=tuple(sentiment),
            tags=tuple(store.customer_tags(conn, tenant, handles)),
            notes=_masked(principal, store.customer_notes(conn, tenant, handles)),
            posts=store.customer_post_count(conn, authored),
            nps_history=tuple(history),
            time_engaged_minutes=relationship.time_engaged_minutes(conn, tenant, handles),
            health=health(sentiment, history, cases, now=now),
            timeline=_masked(principal, relationship.timeline(conn, tenant, handles, authored)),
        )
    return JSON(customer)


@router.post("/customers/link", response_model=LinkedCustomer)
def link_customers(request: Request, body: LinkIn, principal: Agent) -> JSON:
    """Make these handles one customer, merging the customers they belonged to."""
    handles = [(h.network, h.author_source_id) for h in body.handles]
    linked = acting.link_customers(context_of(request), handles, actor=actor_of(request, principal))
    return JSON(linked)


@router.delete("/customers/{network}/{author_source_id}/link", response_model=Unlinked)
def unlink_customer(
    request: Request, network: str, author_source_id: str, principal: Agent
) -> JSON:
    """Make this handle a customer of its own again."""
    unlinked = acting.unlink_customer(
        context_of(request), (network, author_source_id), actor=actor_of(request, principal)
    )
    return JSON(unlinked)
