"""/api/v1/templates and /api/v1/cases/{id}/template: reply templates per tenant and
language, and one filled in for a case.

Listing shows the tenant's own templates in place of the built-ins of the same name and
language (`care/reply_templates.py`). Reading needs `cases:read`, writing
`templates:manage`, filling one in for a case `cases:act`. Another tenant's templates and
cases are never seen: they answer 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ConfigDict, Field

from rapport.actions import templates as acting
from rapport.auth.roles import Permission
from rapport.care import reply_templates as rt
from rapport.errors import NotFound
from rapport.records.templates import DeletedTemplate, FilledTemplate, Template, TemplatePage
from rapport.store.customers import case_addressee
from rapport.store.templates import list_templates
from rapport.web.acting import actor_of, context_of
from rapport.web.params import Body, Id
from rapport.web.responses import JSON
from rapport.web.security import Principal, require

router = APIRouter(prefix="/api/v1", tags=["templates"])

Reader = Annotated[Principal, Depends(require(Permission.READ_CASES))]
Manager = Annotated[Principal, Depends(require(Permission.MANAGE_TEMPLATES))]
Agent = Annotated[Principal, Depends(require(Permission.ACT_ON_CASES))]
DEFAULT_BRAND = "NovaCard"


class TemplateIn(Body):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=rt.MAX_TEXT)


class UseTemplateIn(Body):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64)


def brand(request: Request) -> str:
    """The brand's name for `{brand}`: the `brand` setting, else NovaCard."""
    value = getattr(request.app.state.settings, "brand", DEFAULT_BRAND)
    return str(value) if value else DEFAULT_BRAND


@router.get("/templates", response_model=TemplatePage)
def read_templates(
    request: Request,
    principal: Reader,
    lang: Annotated[str | None, Query(max_length=16)] = None,
    name: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> JSON:
    """Your tenant's templates over the built-ins, by name then language; `source` says
    which."""
    with request.app.state.database.reading() as conn:
        found = rt.merged(list_templates(conn, principal.tenant))
    found = [t for t in found if (lang is None or t.lang == lang) and (name in (None, t.name))]
    page = tuple(found[offset : offset + limit])
    next_offset = offset + limit if len(found) > offset + limit else None
    return JSON(TemplatePage(page, next_offset))


@router.put(
    "/templates/{name}/{lang}",
    response_model=Template,
    responses={201: {"model": Template, "description": "Created."}},
)
def put_template(
    request: Request, name: str, lang: str, body: TemplateIn, principal: Manager
) -> JSON:
    """Write your tenant's template for this name and language (in place of a built-in of
    the same name and language). Variables: {name}, {agent}, {case}, {brand}."""
    saved, created = acting.save_template(
        context_of(request), name, lang, body.text, actor=actor_of(request, principal)
    )
    return JSON(saved, status_code=201 if created else 200)


@router.delete("/templates/{name}/{lang}", response_model=DeletedTemplate)
def remove_template(request: Request, name: str, lang: str, principal: Manager) -> JSON:
    """Delete your tenant's own template; the built-in of that name and language, if any,
    applies again. Built-ins themselves cannot be deleted."""
    deleted = acting.delete_template(
        context_of(request), name, lang, actor=actor_of(request, principal)
    )
    return JSON(DeletedTemplate(deleted, rt.BUILT_IN.get(name, {}).get(lang)))


@router.post("/cases/{case_id}/template", response_model=FilledTemplate)
def fill_template(request: Request, case_id: Id, body: UseTemplateIn, principal: Agent) -> JSON:
    """The template `name` in the case's language (else English), its variables filled in
    for this case: the customer's name, your first name, the case id and the brand."""
    with request.app.state.database.reading() as conn:
        case = case_addressee(conn, case_id, principal.tenant)
        own = list_templates(conn, principal.tenant, name=body.name)
    chosen = rt.choose(rt.merged(own), body.name, case.lang)
    if chosen is None:
        raise NotFound(f"no template named {body.name!r}; GET /api/v1/templates lists them")
    values = {
        "name": (case.display_name or "").strip() or case.customer_handle,
        "agent": rt.first_name(principal.user.name, principal.user.email),
        "case": str(case_id),
        "brand": brand(request),
    }
    return JSON(FilledTemplate(chosen.name, chosen.lang, chosen.source,
                               rt.fill(chosen.text, values)))  # fmt: skip
