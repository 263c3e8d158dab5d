"""/api/v1/rules: the workflow rules in force, their versions, saving and dry-running them.

Rule versions belong to a tenant: each principal reads and saves its own tenant's, and
another tenant's version number is answered 404. The routing pipeline runs one tenant's
rules (the case desk's tenant, "default" unless configured): saving puts the rules in force
only for that tenant; another tenant's versions are kept and dry-run, not yet routed by.
Reading and dry-running need `cases:read`, saving `rules:manage`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import sqlalchemy as sa
import yaml
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from rapport.auth.roles import Permission
from rapport.errors import ConfigError, NotFound
from rapport.pipeline.persist import PersistStage
from rapport.pipeline.route import RouteStage
from rapport.route.dry_run import dry_run
from rapport.route.rules import RuleSet
from rapport.store import audit
from rapport.store.history import analysed_since
from rapport.store.rule_versions import get_version, latest_version, list_versions, save_version
from rapport.web.api.posts import masked_text
from rapport.web.responses import JSON, problem
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


def parse_rules(text: str, source: str, like: RuleSet | None) -> RuleSet:
    """Rules from YAML text, reading the same calendars and queue load as `like`."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{source}: not valid YAML: {error}") from None
    if like is None:
        return RuleSet.parse(data, source=source)
    return RuleSet.parse(data, source=source, calendars=like.calendars, load=like.load)


def _route_stage(request: Request) -> RouteStage | None:
    stages = request.app.state.runner.stages
    return next((s for s in stages if isinstance(s, RouteStage)), None)


def pipeline_tenant(request: Request) -> str:
    """The tenant whose cases the pipeline opens, and whose rules it routes by."""
    for stage in request.app.state.runner.stages:
        if isinstance(stage, PersistStage) and stage.desk is not None:
            return str(stage.desk.policy.tenant)
    return "default"


@router.get("/rules")
def current_rules(request: Request, principal: RulesReader) -> JSON:
    """Your tenant's newest rules, with their version (null when none were ever saved)."""
    with request.app.state.database.reading() as conn:
        found = latest_version(conn, tenant=principal.tenant)
    return JSON(found or {"version": None, "body": "rules: []\n"})


@router.put("/rules")
def save_rules(request: Request, rules: RulesIn, principal: RulesManager) -> JSON:
    """Check the rules, save them as your tenant's new version and, for the tenant the
    pipeline routes for, put them in force at once (`in_force`). 422 names the rule and
    field at fault; nothing is saved then."""
    stage = _route_stage(request)
    if stage is None:
        return problem(409, "this server runs without routing (RAPPORT_ENRICH=false)")
    try:
        compiled = parse_rules(rules.yaml, "rules", stage.rules)
    except ConfigError as error:
        return problem(422, str(error))
    tenant, ip = principal.tenant, client_ip(request)
    author = rules.author or principal.user.email

    def job(conn: sa.Connection) -> int:
        before = latest_version(conn, tenant=tenant)
        version = save_version(conn, rules.yaml, author=author, note=rules.note, tenant=tenant)
        if before is None or before["version"] != version:
            audit.record(conn, tenant, principal.user.id, "rules.save", f"rules:{version}",
                         None if before is None else {"version": before["version"]},
                         {"version": version, "note": rules.note}, ip)  # fmt: skip
        return version

    version = request.app.state.database.write(job)
    in_force = tenant == pipeline_tenant(request)
    if in_force:
        stage.rules = compiled
    return JSON({"version": version, "rules": len(compiled), "in_force": in_force})


@router.get("/rules/versions")
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


@router.get("/rules/versions/{version}")
def rule_version(
    request: Request, version: Annotated[int, Path(ge=1)], principal: RulesReader
) -> JSON:
    with request.app.state.database.reading() as conn:
        try:
            found = get_version(conn, version)
        except NotFound as error:
            return problem(404, str(error))
    if found["tenant"] != principal.tenant:
        return problem(404, f"no rules version {version}")
    return JSON(found)


@router.post("/rules/dry-run")
async def dry_run_rules(request: Request, body: DryRunIn, principal: RulesReader) -> JSON:
    """What these rules (default: your tenant's newest) would have caught in the last
    `days` of stored history, and where they would have sent it; nothing is changed."""
    stage = _route_stage(request)
    like = stage.rules if stage is not None else None
    text = body.yaml
    if text is None and principal.tenant != pipeline_tenant(request):
        with request.app.state.database.reading() as conn:
            saved = latest_version(conn, tenant=principal.tenant)
        text = saved["body"] if saved is not None else "rules: []\n"
    if text is not None:
        try:
            rules = parse_rules(text, "rules", like)
        except ConfigError as error:
            return problem(422, str(error))
    else:
        rules = like if like is not None else RuleSet([])
    since = datetime.now(UTC) - timedelta(days=body.days)
    engine = request.app.state.database.engine
    report = await run_in_threadpool(lambda: dry_run(rules, analysed_since(engine, since)))
    summary: dict[str, Any] = {
        "since": since,
        "posts": report.posts,
        "by_rule": dict(report.by_rule.most_common()),
        "by_queue": dict(report.by_queue.most_common()),
        "suppressed": report.suppressed,
        "examples": {
            rule: [masked_text(principal, text) for text in shown]
            for rule, shown in report.examples.items()
        },
    }
    return JSON(summary)
