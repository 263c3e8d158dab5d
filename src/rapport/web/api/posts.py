"""/api/v1/posts: list, search, read, and ingest posts.

Posts, threads and authors are the public listening stream: what anyone could read on the
networks. They are shared by every tenant (the `posts` table has no tenant), so reading
them needs `posts:read` and no tenant filter. What is private to a tenant (its cases, queues,
rules, templates and customers) is scoped in the other routers. Roles without
`personal_data:read` (analysts, narrow tokens) see post texts with card numbers, phones,
e-mails and addresses masked.

Pushing posts (`POST /posts`) needs `posts:ingest`: admins, and the API token a connector
authenticates with.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from rapport.auth.roles import Permission
from rapport.bus.base import Bus
from rapport.bus.threads import submit
from rapport.care.privacy import mask
from rapport.errors import NotFound, TooLarge, Unavailable
from rapport.ingest.base import KEEP_OF_OVERSIZE, Limits
from rapport.ingest.http import parse_body, rejected_body
from rapport.records import Batch, Envelope, Post, Rejected
from rapport.records.posts import (
    Accepted,
    Ingested,
    PostsPage,
    RejectNote,
    Stats,
    StoredPost,
    ThreadPage,
)
from rapport.web.errors import Problem
from rapport.web.openapi import INGEST_BODY
from rapport.web.params import Id, id_query
from rapport.web.responses import JSON
from rapport.web.security import Principal, require

router = APIRouter(prefix="/api/v1", tags=["posts"])

Reader = Annotated[Principal, Depends(require(Permission.READ_POSTS))]
Ingester = Annotated[Principal, Depends(require(Permission.INGEST))]


def sees_personal_data(principal: Principal) -> bool:
    return principal.may(Permission.READ_PERSONAL_DATA)


def masked_text(principal: Principal, text: str) -> str:
    """`text` as this principal may see it."""
    return text if sees_personal_data(principal) else mask(text)


def masked(principal: Principal, items: list[dict[str, Any]], *fields: str) -> list[dict[str, Any]]:
    """`items` with the text `fields` (default "text") masked for a principal without
    `personal_data:read`; the items are changed in place and returned."""
    if sees_personal_data(principal):
        return items
    for item in items:
        for name in fields or ("text",):
            if isinstance(item.get(name), str):
                item[name] = mask(item[name])
    return items


def masked_posts(principal: Principal, posts: list[StoredPost]) -> list[StoredPost]:
    """`posts` with their texts as this principal may see them."""
    if sees_personal_data(principal):
        return posts
    return [replace(post, text=mask(post.text)) for post in posts]


@router.get("/posts", response_model=PostsPage)
def list_posts(
    request: Request,
    principal: Reader,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[int | None, id_query("Continue below this post id.")] = None,
    after_id: Annotated[
        int | None, id_query("Only posts newer than this id, oldest first.")
    ] = None,
    q: Annotated[str | None, Query(max_length=500, description="Full-text search.")] = None,
    lang: Annotated[str | None, Query(max_length=16)] = None,
    network: Annotated[str | None, Query(max_length=32)] = None,
) -> JSON:
    """Posts newest first; `next_cursor` pages further back."""
    page = request.app.state.database.list_posts(
        tenant=principal.tenant,
        limit=limit,
        before_id=cursor,
        after_id=after_id,
        search=q,
        lang=lang,
        network=network,
    )
    return JSON(PostsPage(masked_posts(principal, page.items), page.next_cursor))


@router.get("/posts/{post_id}", response_model=StoredPost)
def get_post(request: Request, post_id: Id, principal: Reader) -> JSON:
    post = request.app.state.database.get_post(post_id, tenant=principal.tenant)
    return JSON(masked_posts(principal, [post])[0])


@router.get("/threads/{network}/{conversation_id}", response_model=ThreadPage)
def get_thread(
    request: Request,
    network: str,
    conversation_id: str,
    principal: Reader,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> JSON:
    """The stored posts of one conversation, oldest first, `limit` at a time."""
    posts = request.app.state.database.thread(network, conversation_id, tenant=principal.tenant)
    if not posts:
        raise NotFound(f"no conversation {conversation_id!r} on {network}")
    page = posts[offset : offset + limit]
    next_offset = offset + limit if len(posts) > offset + limit else None
    return JSON(ThreadPage(masked_posts(principal, page), next_offset))


@router.get("/stats", response_model=Stats)
def stats(request: Request, principal: Reader) -> JSON:
    return JSON(request.app.state.database.stats())


@router.post(
    "/posts",
    response_model=Ingested,
    responses={
        202: {"model": Accepted, "description": "Handed to the bus workers (with a bus)."},
        207: {"model": Ingested, "description": "Some items quarantined."},
        413: {"model": Problem, "description": "Body over RAPPORT_MAX_REQUEST_BYTES."},
        422: {"model": Ingested, "description": "No item accepted."},
        503: {"model": Problem, "description": "The message bus is unavailable."},
    },
    openapi_extra={"requestBody": INGEST_BODY},
)
async def ingest_posts(request: Request, principal: Ingester) -> JSON:
    """Ingest a batch: a JSON array of posts in Rapport's schema (docs/formats.md).

    200: all stored (or already stored); 207: some items quarantined; 422: none accepted;
    413: body over RAPPORT_MAX_REQUEST_BYTES. Every rejected item is kept in quarantine.
    """
    settings = request.app.state.settings
    runner = request.app.state.runner
    bus: Bus | None = request.app.state.bus
    received_at = time.time()
    request_id = uuid.uuid4().hex
    limit = settings.max_request_bytes
    declared = request.headers.get("content-length", "")
    body = bytearray()
    too_large = declared.isdigit() and int(declared) > limit
    async for chunk in request.stream():
        body += chunk
        # Past the limit, read only as much as quarantine keeps of it.
        if len(body) > limit or (too_large and len(body) >= KEEP_OF_OVERSIZE):
            too_large = True
            break
    if too_large:
        reason = f"request body is over {limit} bytes (RAPPORT_MAX_REQUEST_BYTES)"
        reject = rejected_body(request_id, reason, bytes(body))
        kept = Batch(source=reject.source, rejects=(reject,))
        if bus is not None:
            await run_in_threadpool(submit, bus, kept, msg_id=f"request {request_id}")
        else:
            await run_in_threadpool(runner.process, kept)
        raise TooLarge(reason + "; send smaller batches", request_id=request_id)
    parsed = parse_body(bytes(body), request_id, Limits.from_settings(settings))
    posts = tuple(Envelope(post=p) for p in parsed if isinstance(p, Post))
    rejects = tuple(p for p in parsed if isinstance(p, Rejected))
    incoming = Batch(
        source=f"request {request_id}", items=posts, rejects=rejects, received_at=received_at
    )
    if bus is not None:
        return await _publish(bus, incoming, request_id)
    batch = await run_in_threadpool(runner.process, incoming)
    duplicates = sum(1 for e in batch.items if e.duplicate)
    status = 200 if not rejects else (207 if posts else 422)
    return JSON(
        Ingested(
            request_id=request_id,
            stored=len(batch.items) - duplicates,
            duplicates=duplicates,
            quarantined=len(rejects),
            rejects=_notes(rejects),
            ids=[e.stored_id for e in batch.items],
        ),
        status_code=status,
        headers={"X-Request-ID": request_id},
    )


async def _publish(bus: Bus, batch: Batch, request_id: str) -> JSON:
    """Hand the batch to the bus workers: 202 once the bus has it durably, 503 when it is down.

    Storing and duplicate detection happen later in the workers, so the answer counts what
    was accepted for processing; rejects are known now and go to quarantine through the bus.
    """
    try:
        await run_in_threadpool(submit, bus, batch, msg_id=f"request {request_id}")
    except Unavailable as exc:
        raise Unavailable(f"the message bus is unavailable ({exc}); send the batch again",
                          request_id=request_id) from exc  # fmt: skip
    status = 202 if batch.items else 422
    return JSON(
        Accepted(
            request_id=request_id,
            accepted=len(batch.items),
            quarantined=len(batch.rejects),
            rejects=_notes(batch.rejects),
        ),
        status_code=status,
        headers={"X-Request-ID": request_id},
    )


def _notes(rejects: tuple[Rejected, ...]) -> list[RejectNote]:
    return [RejectNote(where=r.location, reason=r.reason) for r in rejects]
