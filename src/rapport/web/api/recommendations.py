"""/api/v1/cases/{id}/recommendations and /api/v1/recommendations/catalogue: the product
features, benefits and offers that fit a case now, each with why, and what came of them.

The catalogue is the built-in `care/catalogue.yaml`, or the YAML file the `catalogue`
setting names. Reading needs `cases:read` (and marks the items shown on the case),
recording that an agent used an item or that the customer took it up `cases:act` (and is
audit-logged). Ranking learns per tenant from those events (`care/recommend.py`). Another
tenant's cases answer 404.
"""

from __future__ import annotations

import random
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request

from rapport.auth.roles import Permission
from rapport.care import recommend as rec
from rapport.errors import InputError
from rapport.store import audit
from rapport.store import recommendations as store
from rapport.web.api.care import case_tenant
from rapport.web.responses import JSON, problem
from rapport.web.security import Principal, client_ip, clock, require

router = APIRouter(prefix="/api/v1", tags=["recommendations"])

Reader = Annotated[Principal, Depends(require(Permission.READ_CASES))]
Agent = Annotated[Principal, Depends(require(Permission.ACT_ON_CASES))]


def sampler() -> random.Random:
    """The randomness of the Thompson sample; tests override this dependency with a
    seeded generator."""
    return random.Random()


Sampler = Annotated[random.Random, Depends(sampler)]


def catalogue(request: Request) -> tuple[rec.Item, ...]:
    """The catalogue the `catalogue` setting names, else the built-in one."""
    path = getattr(request.app.state.settings, "catalogue", "") or None
    return rec.load_catalogue(path)


def _stats_json(stats: rec.Stats) -> dict[str, int]:
    return {"shown": stats.shown, "used": stats.used, "taken_up": stats.taken_up}


@router.get("/cases/{case_id}/recommendations")
def read_recommendations(request: Request, case_id: int, principal: Reader, rng: Sampler) -> JSON:
    """The (at most 3) catalogue items that fit this case now, best first: each with its
    pitch in the case's language (else English), `why` it fits, its match `strength` and
    its `score` (a Thompson sample of how often customers take it up, times the strength),
    and whether it was already used or taken up on this case. They are marked shown."""
    try:
        items = catalogue(request)
    except InputError as error:
        return problem(503, f"the recommendation catalogue cannot be used: {error}")
    with request.app.state.database.reading() as conn:
        if case_tenant(conn, case_id) != principal.tenant:
            return problem(404, f"no case with id {case_id}")
        facts = store.case_facts(conn, case_id)
        matches = rec.fitting(items, facts)
        stats = store.item_stats(conn, principal.tenant, (m.item.id for m in matches))
        ranked = rec.rank(matches, stats, rng)
        marks = store.case_marks(conn, case_id)
    now = clock(request)
    shown = [r.match.item.id for r in ranked]
    if shown:
        request.app.state.database.write(
            lambda conn: store.record_shown(conn, principal.tenant, case_id, shown,
                                            user_id=principal.user.id, now=now)
        )  # fmt: skip
    learned = any(s.shown for s in stats.values())
    body: list[dict[str, Any]] = []
    for r in ranked:
        item = r.match.item
        lang, pitch = item.pitch_for(facts.lang)
        done = marks.get(item.id, set())
        body.append({
            "id": item.id, "kind": item.kind, "title": item.title, "lang": lang,
            "pitch": pitch, "why": list(r.match.why), "strength": round(r.match.strength, 4),
            "score": r.score, "stats": _stats_json(r.stats), "used": "used" in done,
            "taken_up": "taken_up" in done,
        })  # fmt: skip
    return JSON({"case_id": case_id, "ranking": "thompson" if learned else "match",
                 "items": body})  # fmt: skip


def _mark(request: Request, case_id: int, item_id: str, event: str, principal: Principal) -> JSON:
    try:
        known = {item.id for item in catalogue(request)}
    except InputError as error:
        return problem(503, f"the recommendation catalogue cannot be used: {error}")
    ip, now = client_ip(request), clock(request)

    def job(conn: sa.Connection) -> bool | None:
        if case_tenant(conn, case_id) != principal.tenant:
            return None
        new = store.record(conn, principal.tenant, case_id, item_id, event,
                           user_id=principal.user.id, now=now)  # fmt: skip
        if new:
            audit.record(conn, principal.tenant, principal.user.id, f"recommendation.{event}",
                         f"case:{case_id}", None, {"item_id": item_id}, ip, at=now)  # fmt: skip
        return new

    if item_id not in known:
        with request.app.state.database.reading() as conn:
            mine = case_tenant(conn, case_id) == principal.tenant
        if not mine:
            return problem(404, f"no case with id {case_id}")
        return problem(404, f"no catalogue item {item_id!r}; GET /api/v1/recommendations/"
                            "catalogue lists them")  # fmt: skip
    new = request.app.state.database.write(job)
    if new is None:
        return problem(404, f"no case with id {case_id}")
    return JSON({"case_id": case_id, "item_id": item_id, "event": event, "recorded": new},
                status_code=201 if new else 200)  # fmt: skip


@router.post("/cases/{case_id}/recommendations/{item_id}/used")
def mark_used(request: Request, case_id: int, item_id: str, principal: Agent) -> JSON:
    """Record that you used this item with the customer (once per case; 201 the first
    time, 200 after)."""
    return _mark(request, case_id, item_id, "used", principal)


@router.post("/cases/{case_id}/recommendations/{item_id}/taken_up")
def mark_taken_up(request: Request, case_id: int, item_id: str, principal: Agent) -> JSON:
    """Record that the customer took this item up (once per case; 201 the first time, 200
    after). Ranking favours items customers take up."""
    return _mark(request, case_id, item_id, "taken_up", principal)


@router.get("/recommendations/catalogue")
def read_catalogue(request: Request, principal: Reader) -> JSON:
    """Every catalogue item with its triggers and eligibility, and on how many of your
    tenant's cases it was shown, used and taken up."""
    try:
        items = catalogue(request)
    except InputError as error:
        return problem(503, f"the recommendation catalogue cannot be used: {error}")
    with request.app.state.database.reading() as conn:
        stats = store.item_stats(conn, principal.tenant, (item.id for item in items))
    custom = getattr(request.app.state.settings, "catalogue", "")
    return JSON({
        "source": "custom" if custom else "built_in",
        "items": [{**item.to_json(), "stats": _stats_json(stats.get(item.id, rec.Stats()))}
                  for item in items],
    })  # fmt: skip
