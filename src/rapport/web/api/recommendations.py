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

from fastapi import APIRouter, Depends, Request

from rapport.actions import recommendations as acting
from rapport.auth.roles import Permission
from rapport.care import recommend as rec
from rapport.errors import InputError, Unavailable
from rapport.records.recommendations import CaseRecommendations, Catalogue, Marked, Recommended
from rapport.store import recommendations as store
from rapport.web.acting import actor_of, context_of
from rapport.web.params import Id
from rapport.web.responses import JSON
from rapport.web.security import Principal, require

router = APIRouter(prefix="/api/v1", tags=["recommendations"])

Reader = Annotated[Principal, Depends(require(Permission.READ_CASES))]
Agent = Annotated[Principal, Depends(require(Permission.ACT_ON_CASES))]


def sampler() -> random.Random:
    """The randomness of the Thompson sample; tests override this dependency with a
    seeded generator."""
    return random.Random()


Sampler = Annotated[random.Random, Depends(sampler)]


def catalogue(request: Request) -> tuple[rec.Item, ...]:
    """The catalogue the `catalogue` setting names, else the built-in one; 503 when it
    cannot be used."""
    path = getattr(request.app.state.settings, "catalogue", "") or None
    try:
        return rec.load_catalogue(path)
    except InputError as error:
        raise Unavailable(f"the recommendation catalogue cannot be used: {error}") from error


@router.get("/cases/{case_id}/recommendations", response_model=CaseRecommendations)
def read_recommendations(request: Request, case_id: Id, principal: Reader, rng: Sampler) -> JSON:
    """The (at most 3) catalogue items that fit this case now, best first: each with its
    pitch in the case's language (else English), `why` it fits, its match `strength` and
    its `score` (a Thompson sample of how often customers take it up, times the strength),
    and whether it was already used or taken up on this case. They are marked shown."""
    items = catalogue(request)
    with request.app.state.database.reading() as conn:
        facts = store.case_facts(conn, case_id, principal.tenant)
        matches = rec.fitting(items, facts)
        stats = store.item_stats(conn, principal.tenant, (m.item.id for m in matches))
        ranked = rec.rank(matches, stats, rng)
        marks = store.case_marks(conn, case_id)
    shown = [r.match.item.id for r in ranked]
    acting.show_items(context_of(request), case_id, shown, actor=actor_of(request, principal))
    learned = any(s.shown for s in stats.values())
    body: list[Recommended] = []
    for r in ranked:
        item = r.match.item
        lang, pitch = item.pitch_for(facts.lang)
        done = marks.get(item.id, set())
        body.append(Recommended(
            id=item.id, kind=item.kind, title=item.title, lang=lang, pitch=pitch,
            why=r.match.why, strength=round(r.match.strength, 4), score=r.score,
            stats=r.stats, used="used" in done, taken_up="taken_up" in done,
        ))  # fmt: skip
    ranking = "thompson" if learned else "match"
    return JSON(CaseRecommendations(case_id, ranking, tuple(body)))


def _mark(request: Request, case_id: int, item_id: str, event: str, principal: Principal) -> JSON:
    known = {item.id for item in catalogue(request)}
    marked = acting.mark_item(context_of(request), known, case_id, item_id, event,
                              actor=actor_of(request, principal))  # fmt: skip
    return JSON(marked, status_code=201 if marked.recorded else 200)


_MARKED: dict[int | str, dict[str, Any]] = {201: {"model": Marked, "description": "Recorded now."}}


@router.post(
    "/cases/{case_id}/recommendations/{item_id}/used", response_model=Marked, responses=_MARKED
)
def mark_used(request: Request, case_id: Id, item_id: str, principal: Agent) -> JSON:
    """Record that you used this item with the customer (once per case; 201 the first
    time, 200 after)."""
    return _mark(request, case_id, item_id, "used", principal)


@router.post(
    "/cases/{case_id}/recommendations/{item_id}/taken_up",
    response_model=Marked,
    responses=_MARKED,
)
def mark_taken_up(request: Request, case_id: Id, item_id: str, principal: Agent) -> JSON:
    """Record that the customer took this item up (once per case; 201 the first time, 200
    after). Ranking favours items customers take up."""
    return _mark(request, case_id, item_id, "taken_up", principal)


@router.get("/recommendations/catalogue", response_model=Catalogue)
def read_catalogue(request: Request, principal: Reader) -> JSON:
    """Every catalogue item with its triggers and eligibility, and on how many of your
    tenant's cases it was shown, used and taken up."""
    items = catalogue(request)
    with request.app.state.database.reading() as conn:
        stats = store.item_stats(conn, principal.tenant, (item.id for item in items))
    custom = getattr(request.app.state.settings, "catalogue", "")
    entries = tuple(item.entry(stats.get(item.id, rec.ItemStats())) for item in items)
    return JSON(Catalogue("custom" if custom else "built_in", entries))
