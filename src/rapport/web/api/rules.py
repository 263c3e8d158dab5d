"""/api/v1/rules: the workflow rules in force, their versions, saving and dry-running them.

Rule versions belong to a tenant: each principal reads and saves its own tenant's, and
another tenant's version number is answered 404. The pipeline routes each tenant's posts by
that tenant's newest version, in every process within a few seconds of a save; the answer to
a save says whether that has happened yet (`in_force`). Reading and dry-running need
`cases:read`, saving `rules:manage`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Annotated

import yaml
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from rapport.actions.base import Actor, Context
from rapport.actions.rules import put_rules
from rapport.auth.roles import Permission
from rapport.errors import ConfigError, InputError
from rapport.pipeline.route import RouteStage
from rapport.records.rules import (
    DryRunSummary,
    NoRulesSaved,
    RulesPut,
    RuleVersion,
    RuleVersionSummary,
)
from rapport.route.dry_run import dry_run
from rapport.route.rules import RuleSet
from rapport.store.history import analysed_since
from rapport.store.rule_versions import get_version, latest_version, list_versions
from rapport.web.api.config import current_status
from rapport.web.api.posts import masked_text
from rapport.web.params import Body, Id
from rapport.web.responses import JSON
from rapport.web.security import Principal, client_ip, require

router = APIRouter(prefix="/api/v1", tags=["rules"])

RulesReader = Annotated[Principal, Depends(require(Permission.READ_CASES))]
RulesManager = Annotated[Principal, Depends(require(Permission.MANAGE_RULES))]

MAX_RULES_BYTES = 1_000_000


class RulesIn(Body):
    yaml: str = Field(max_length=MAX_RULES_BYTES, description="The rules file, as YAML text.")
    author: str = Field(default="", max_length=128)
    note: str = Field(default="", max_length=2000, description="Why this change.")


class DryRunIn(Body):
    yaml: str | None = Field(
        default=None,
        max_length=MAX_RULES_BYTES,
        description="Rules to try; default the ones in force.",
    )
    days: float = Field(default=7.0, gt=0, le=366)


class RuleVersionsPage(BaseModel):
    items: list[RuleVersionSummary]
    next_offset: int | None


def parse_rules(text: str, source: str, like: RuleSet | None) -> RuleSet:
    """Rules from YAML text, reading the same calendars and queue load as `like`; a mistake
    is the caller's input to fix (422), naming the rule and field at fault."""
    try:
        data = yaml.safe_load(text)
        if like is None:
            return RuleSet.parse(data, source=source)
        return RuleSet.parse(data, source=source, calendars=like.calendars, load=like.load)
    except yaml.YAMLError as error:
        raise InputError(f"{source}: not valid YAML: {error}") from None
    except ConfigError as error:
        raise InputError(str(error)) from None


@router.get("/rules", response_model=RuleVersion | NoRulesSaved)
def current_rules(request: Request, principal: RulesReader) -> JSON:
    """Your tenant's newest rules, with their version (null when none were ever saved)."""
    with request.app.state.database.reading() as conn:
        found = latest_version(conn, tenant=principal.tenant)
    return JSON(found or NoRulesSaved())


@router.put("/rules", response_model=RulesPut)
def save_rules(request: Request, rules: RulesIn, principal: RulesManager) -> JSON:
    """Check the rules and save them as your tenant's new version. This process routes by them
    at once; `in_force` is true when every running process does (else ask
    `GET /api/v1/config/status?generation=` with the `generation` answered). 422 names the
    rule and field at fault; nothing is saved then."""
    compiled = parse_rules(rules.yaml, "rules", _rules_of(request, principal.tenant))
    actor = Actor(principal.tenant, principal.user.id, client_ip(request))
    put = put_rules(
        Context(request.app.state.database), actor, rules.yaml, compiled,
        author=rules.author or principal.user.email, note=rules.note,
    )  # fmt: skip
    _reload_here(request)
    status = current_status(request, put.generation)
    return JSON(replace(put, in_force=status.in_force_everywhere))


def _rules_of(request: Request, tenant: str) -> RuleSet | None:
    """The rules this process routes the tenant's posts by (None: it does not route)."""
    stages = request.app.state.runner.stages
    flows = [s.workflows for s in stages if isinstance(s, RouteStage)]
    if not flows:
        return None
    found = flows[0].by_tenant.get(tenant)
    if found is not None:
        return found.rules
    # Calendars and queue load are the install's: any tenant's rules carry them.
    return next((w.rules for w in flows[0].by_tenant.values()), None)


def _reload_here(request: Request) -> None:
    """Put what was just saved in force in this process now, rather than at the next poll."""
    live = getattr(request.app.state, "live_config", None)
    if live is not None:
        live.run_once()
        return
    tenancy = getattr(request.app.state, "tenancy", None)
    if tenancy:
        with request.app.state.database.reading() as conn:
            tenancy(conn)


@router.get("/rules/versions", response_model=RuleVersionsPage)
def rule_versions(
    request: Request,
    principal: RulesReader,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> JSON:
    """Your tenant's saved versions, newest first."""
    with request.app.state.database.reading() as conn:
        found = list_versions(conn, tenant=principal.tenant, limit=offset + limit + 1)
    items = found[offset : offset + limit]
    next_offset = offset + limit if len(found) > offset + limit else None
    return JSON({"items": items, "next_offset": next_offset})


@router.get("/rules/versions/{version}", response_model=RuleVersion)
def rule_version(request: Request, version: Id, principal: RulesReader) -> JSON:
    with request.app.state.database.reading() as conn:
        return JSON(get_version(conn, version, tenant=principal.tenant))


@router.post("/rules/dry-run", response_model=DryRunSummary)
async def dry_run_rules(request: Request, body: DryRunIn, principal: RulesReader) -> JSON:
    """What these rules (default: your tenant's newest) would have caught in the last
    `days` of stored history, and where they would have sent it; nothing is changed."""
    like = _rules_of(request, principal.tenant)
    text = body.yaml
    if text is None:
        with request.app.state.database.reading() as conn:
            saved = latest_version(conn, tenant=principal.tenant)
        text = saved.body if saved is not None else NoRulesSaved().body
    rules = parse_rules(text, "rules", like)
    since = datetime.now(UTC) - timedelta(days=body.days)
    database = request.app.state.database
    report = await run_in_threadpool(lambda: dry_run(rules, analysed_since(database, since)))
    return JSON(
        DryRunSummary(
            since=since,
            posts=report.posts,
            by_rule=dict(report.by_rule.most_common()),
            by_queue=dict(report.by_queue.most_common()),
            suppressed=report.suppressed,
            examples={
                rule: [masked_text(principal, text) for text in shown]
                for rule, shown in report.examples.items()
            },
        )
    )
