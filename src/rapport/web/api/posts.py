"""/api/v1/posts: list, search, read, and ingest posts."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from rapport.errors import NotFound
from rapport.ingest.base import KEEP_OF_OVERSIZE, Limits
from rapport.ingest.http import parse_body, rejected_body
from rapport.records import Batch, Envelope, Post, Rejected
from rapport.web.responses import JSON, problem

router = APIRouter(prefix="/api/v1", tags=["posts"])


@router.get("/posts")
def list_posts(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[int | None, Query(description="Continue below this post id.")] = None,
    after_id: Annotated[
        int | None, Query(description="Only posts newer than this id, oldest first.")
    ] = None,
    q: Annotated[str | None, Query(max_length=500, description="Full-text search.")] = None,
    lang: Annotated[str | None, Query(max_length=16)] = None,
    network: Annotated[str | None, Query(max_length=32)] = None,
) -> JSON:
    """Posts newest first; `next_cursor` pages further back."""
    page = request.app.state.database.list_posts(
        limit=limit, before_id=cursor, after_id=after_id, search=q, lang=lang, network=network
    )
    return JSON({"items": page.items, "next_cursor": page.next_cursor})


@router.get("/posts/{post_id}")
def get_post(request: Request, post_id: int) -> JSON:
    try:
        return JSON(request.app.state.database.get_post(post_id))
    except NotFound as error:
        return problem(404, str(error))


@router.get("/threads/{network}/{conversation_id}")
def get_thread(request: Request, network: str, conversation_id: str) -> JSON:
    """Every stored post of one conversation, oldest first."""
    posts = request.app.state.database.thread(network, conversation_id)
    if not posts:
        return problem(404, f"no conversation {conversation_id!r} on {network}")
    return JSON({"items": posts})


@router.get("/stats")
def stats(request: Request) -> JSON:
    return JSON(request.app.state.database.stats())


@router.post("/posts")
async def ingest_posts(request: Request) -> JSON:
    """Ingest a batch: a JSON array of posts in Rapport's schema (docs/formats.md).

    200: all stored (or already stored); 207: some items quarantined; 422: none accepted;
    413: body over RAPPORT_MAX_REQUEST_BYTES. Every rejected item is kept in quarantine.
    """
    settings = request.app.state.settings
    runner = request.app.state.runner
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
        await run_in_threadpool(runner.process, Batch(source=reject.source, rejects=(reject,)))
        return problem(413, reason + "; send smaller batches", request_id=request_id)
    parsed = parse_body(bytes(body), request_id, Limits.from_settings(settings))
    posts = tuple(Envelope(post=p) for p in parsed if isinstance(p, Post))
    rejects = tuple(p for p in parsed if isinstance(p, Rejected))
    batch = await run_in_threadpool(
        runner.process, Batch(source=f"request {request_id}", items=posts, rejects=rejects)
    )
    duplicates = sum(1 for e in batch.items if e.duplicate)
    status = 200 if not rejects else (207 if posts else 422)
    return JSON(
        {
            "request_id": request_id,
            "stored": len(batch.items) - duplicates,
            "duplicates": duplicates,
            "quarantined": len(rejects),
            "rejects": [{"where": r.location, "reason": r.reason} for r in rejects],
            "ids": [e.stored_id for e in batch.items],
        },
        status_code=status,
        headers={"X-Request-ID": request_id},
    )
