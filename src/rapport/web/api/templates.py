"""/api/v1/templates and /api/v1/cases/{id}/template: reply templates per tenant and
language, and one filled in for a case.

Listing shows the tenant's own templates in place of the built-ins of the same name and
language (`care/reply_templates.py`). Reading needs `cases:read`, writing
`templates:manage`, filling one in for a case `cases:act`. Another tenant's templates and
cases are never seen: they answer 404.
"""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from rapport.auth.roles import Permission
from rapport.care import reply_templates as rt
from rapport.errors import InputError, NotFound
from rapport.store import audit, schema
from rapport.store.templates import delete_template, list_templates, save_template
from rapport.web.api.care import case_tenant
from rapport.web.responses import JSON, problem
from rapport.web.security import Principal, client_ip, clock, require

router = APIRouter(prefix="/api/v1", tags=["templates"])

Reader = Annotated[Principal, Depends(require(Permission.READ_CASES))]
Manager = Annotated[Principal, Depends(require(Permission.MANAGE_TEMPLATES))]
Agent = Annotated[Principal, Depends(require(Permission.ACT_ON_CASES))]
DEFAULT_BRAND = "NovaCard"


class TemplateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=rt.MAX_TEXT)


class UseTemplateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64)


def brand(request: Request) -> str:
    """The brand's name for `{brand}`: the `brand` setting, else NovaCard."""
    value = getattr(request.app.state.settings, "brand", DEFAULT_BRAND)
    return str(value) if value else DEFAULT_BRAND


def _own(conn: sa.Connection, tenant: str, **filters: str | None) -> list[rt.Template]:
    return [
        rt.Template(t["name"], t["lang"], t["text"], "tenant", t["updated_at"])
        for t in list_templates(conn, tenant, **filters)
    ]


@router.get("/templates")
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
        found = rt.merged(_own(conn, principal.tenant))
    found = [t for t in found if (lang is None or t.lang == lang) and (name in (None, t.name))]
    page = found[offset : offset + limit]
    next_offset = offset + limit if len(found) > offset + limit else None
    return JSON({"items": [t.to_json() for t in page], "next_offset": next_offset})


@router.put("/templates/{name}/{lang}")
def put_template(
    request: Request, name: str, lang: str, body: TemplateIn, principal: Manager
) -> JSON:
    """Write your tenant's template for this name and language (in place of a built-in of
    the same name and language). Variables: {name}, {agent}, {case}, {brand}."""
    try:
        rt.check_key(name, lang)
        rt.check_text(body.text)
    except InputError as error:
        return problem(422, str(error))
    ip, now = client_ip(request), clock(request)

    def job(conn: sa.Connection) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        before, after = save_template(conn, principal.tenant, name, lang, body.text, now=now)
        audit.record(conn, principal.tenant, principal.user.id, "template.save",
                     f"template:{name}/{lang}", before, after, ip, at=now)  # fmt: skip
        return before, after

    before, after = request.app.state.database.write(job)
    return JSON({**after, "source": "tenant"}, status_code=201 if before is None else 200)


@router.delete("/templates/{name}/{lang}")
def remove_template(request: Request, name: str, lang: str, principal: Manager) -> JSON:
    """Delete your tenant's own template; the built-in of that name and language, if any,
    applies again. Built-ins themselves cannot be deleted."""
    try:
        rt.check_key(name, lang)
    except InputError as error:
        return problem(422, str(error))
    ip, now = client_ip(request), clock(request)

    def job(conn: sa.Connection) -> dict[str, Any]:
        before = delete_template(conn, principal.tenant, name, lang)
        audit.record(conn, principal.tenant, principal.user.id, "template.delete",
                     f"template:{name}/{lang}", before, None, ip, at=now)  # fmt: skip
        return before

    try:
        deleted = request.app.state.database.write(job)
    except NotFound as error:
        return problem(404, str(error))
    built_in = rt.BUILT_IN.get(name, {}).get(lang)
    return JSON({"deleted": deleted, "built_in": built_in})


@router.post("/cases/{case_id}/template")
def fill_template(request: Request, case_id: int, body: UseTemplateIn, principal: Agent) -> JSON:
    """The template `name` in the case's language (else English), its variables filled in
    for this case: the customer's name, your first name, the case id and the brand."""
    cases, authors = schema.cases, schema.authors
    with request.app.state.database.reading() as conn:
        if case_tenant(conn, case_id) != principal.tenant:
            return problem(404, f"no case with id {case_id}")
        case = conn.execute(
            sa.select(
                cases.c.lang, cases.c.network, cases.c.customer_id, cases.c.customer_handle
            ).where(cases.c.id == case_id)
        ).one()
        display = conn.execute(
            sa.select(authors.c.display_name).where(
                authors.c.network == case.network, authors.c.source_id == case.customer_id
            )
        ).scalar()
        own = _own(conn, principal.tenant, name=body.name)
    chosen = rt.choose(rt.merged(own), body.name, case.lang)
    if chosen is None:
        return problem(404, f"no template named {body.name!r}; GET /api/v1/templates lists them")
    values = {
        "name": (display or "").strip() or case.customer_handle,
        "agent": rt.first_name(principal.user.name, principal.user.email),
        "case": str(case_id),
        "brand": brand(request),
    }
    return JSON({"name": chosen.name, "lang": chosen.lang, "source": chosen.source,
                 "text": rt.fill(chosen.text, values)})  # fmt: skip
