"""/api/v1/rules: the workflow rules in force, their versions, saving and dry-running them.

Rule versions belong to a tenant: each principal reads and saves its own tenant's, and
another tenant's version number is answered 404. The routing pipeline runs one tenant's
rules (the case desk's tenant, "default" unless configured): saving puts the rules in force
only for that tenant; another tenant's versions are kept and dry-run, not yet routed by.
Reading and dry-running need `cases:read`, saving `rules:manage`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import yaml
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from rapport.actions.base import Actor, Context
from rapport.actions.rules import put_rules
from rapport.auth.roles import Permission
from rapport.errors import ConfigError, Conflict, InputError
from rapport.pipeline.routing import process_routing, routing_tenant
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
from rapport.web.api.posts import masked_text
from rapport.web.responses import JSON
from rapport.web.security import Principal, client_ip, require

router = APIRouter(prefix="/api/v1", tags=["rules"])

RulesReader = Annotated[Principal, Depends(require(Permission.READ_CASES))]
RulesManager = Annotated[Principal, Depends(require(Permission.MANAGE_RULES))]

MAX_RULES_BYTES = 1_000_000


class RulesIn(BaseModel):
    yaml: str = Field(max_length=MAX_RULES_BYTES, description="The rules file, as YAML text.")
    author: str = Field(default="", max_length=128)
    note: str = Field(default="", max_length=2000, description="Why this change.")


class DryRunIn(BaseModel):
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
    """Check the rules, save them as your tenant's new version and, for the tenant the
    pipeline routes for, put them in force at once (`in_force`). 422 names the rule and
    field at fault; nothing is saved then."""
    routing = process_routing(request.app.state.runner)
    if routing is None:
        raise Conflict("this server runs without routing (RAPPORT_ENRICH=false)")
    compiled = parse_rules(rules.yaml, "rules", routing.rules)
    actor = Actor(principal.tenant, principal.user.id, client_ip(request))
    put = put_rules(
        Context(request.app.state.database), actor, rules.yaml, compiled,
        author=rules.author or principal.user.email, note=rules.note, routing=routing,
    )  # fmt: skip
    return JSON(put)


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
def rule_version(
    request: Request, version: Annotated[int, Path(ge=1)], principal: RulesReader
) -> JSON:
    with request.app.state.database.reading() as conn:
        return JSON(get_version(conn, version, tenant=principal.tenant))


@router.post("/rules/dry-run", response_model=DryRunSummary)
async def dry_run_rules(request: Request, body: DryRunIn, principal: RulesReader) -> JSON:
    """What these rules (default: your tenant's newest) would have caught in the last
    `days` of stored history, and where they would have sent it; nothing is changed."""
    runner = request.app.state.runner
    routing = process_routing(runner)
    like = routing.rules if routing is not None else None
    text = body.yaml
    if text is None and principal.tenant != routing_tenant(runner):
        with request.app.state.database.reading() as conn:
            saved = latest_version(conn, tenant=principal.tenant)
        text = saved.body if saved is not None else NoRulesSaved().body
    if text is not None:
        rules = parse_rules(text, "rules", like)
    else:
        rules = like if like is not None else RuleSet([])
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
