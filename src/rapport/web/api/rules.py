"""/api/v1/rules: the workflow rules in force, their versions, saving and dry-running them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from rapport.errors import ConfigError, NotFound
from rapport.pipeline.route import RouteStage
from rapport.route.dry_run import dry_run
from rapport.route.rules import RuleSet
from rapport.store.history import analysed_since
from rapport.store.rule_versions import get_version, latest_version, list_versions, save_version
from rapport.web.responses import JSON, problem

router = APIRouter(prefix="/api/v1", tags=["rules"])

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


@router.get("/rules")
def current_rules(request: Request) -> JSON:
    """The rules in force, with their version (null when none were ever saved)."""
    with request.app.state.database.reading() as conn:
        found = latest_version(conn)
    return JSON(found or {"version": None, "body": "rules: []\n"})


@router.put("/rules")
def save_rules(request: Request, rules: RulesIn) -> JSON:
    """Check the rules, save them as a new version and put them in force at once.
    422 names the rule and field at fault; nothing is saved then."""
    stage = _route_stage(request)
    if stage is None:
        return problem(409, "this server runs without routing (RAPPORT_ENRICH=false)")
    try:
        compiled = parse_rules(rules.yaml, "rules", stage.rules)
    except ConfigError as error:
        return problem(422, str(error))
    version = request.app.state.database.write(
        lambda conn: save_version(conn, rules.yaml, author=rules.author, note=rules.note)
    )
    stage.rules = compiled
    return JSON({"version": version, "rules": len(compiled)})


@router.get("/rules/versions")
def rule_versions(request: Request) -> JSON:
    with request.app.state.database.reading() as conn:
        return JSON({"items": list_versions(conn)})


@router.get("/rules/versions/{version}")
def rule_version(request: Request, version: Annotated[int, Path(ge=1)]) -> JSON:
    try:
        with request.app.state.database.reading() as conn:
            return JSON(get_version(conn, version))
    except NotFound as error:
        return problem(404, str(error))


@router.post("/rules/dry-run")
async def dry_run_rules(request: Request, body: DryRunIn) -> JSON:
    """What these rules would have caught in the last `days` of stored history, and where
    they would have sent it; nothing is changed."""
    stage = _route_stage(request)
    if body.yaml is not None:
        try:
            rules = parse_rules(body.yaml, "rules", stage.rules if stage is not None else None)
        except ConfigError as error:
            return problem(422, str(error))
    else:
        rules = stage.rules if stage is not None else RuleSet([])
    since = datetime.now(UTC) - timedelta(days=body.days)
    engine = request.app.state.database.engine
    report = await run_in_threadpool(lambda: dry_run(rules, analysed_since(engine, since)))
    summary: dict[str, Any] = {
        "since": since,
        "posts": report.posts,
        "by_rule": dict(report.by_rule.most_common()),
        "by_queue": dict(report.by_queue.most_common()),
        "suppressed": report.suppressed,
        "examples": report.examples,
    }
    return JSON(summary)
