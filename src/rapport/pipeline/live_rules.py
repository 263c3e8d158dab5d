"""The workflow rules in force, read from the store: at start, and again in every process
whenever a new version is saved (`tenancy.live.LiveConfig` calls `RulesReload`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import yaml

from rapport.pipeline.persist import PersistStage
from rapport.pipeline.route import RouteStage
from rapport.pipeline.stage import Stage
from rapport.records.rules import RuleVersion
from rapport.route.conditions import QueueLoad
from rapport.route.rules import RuleSet
from rapport.sla import BusinessCalendar
from rapport.store import Connection, Database
from rapport.store.rule_versions import latest_version
from rapport.tenancy.live import LiveConfig


def rules_from_version(
    version: RuleVersion | None,
    *,
    calendars: Mapping[str, BusinessCalendar] | None,
    load: QueueLoad | None,
) -> RuleSet:
    """The rules of a saved version (none saved: no rules), reading these calendars and load."""
    if version is None:
        return RuleSet([], calendars=calendars, load=load)
    return RuleSet.parse(
        yaml.safe_load(version.body),
        source=f"rules version {version.version}",
        calendars=calendars,
        load=load,
    )


class RulesReload:
    """Puts the newest saved rules of the tenant the pipeline routes for into its route
    stages, keeping the calendars and queue load they were built with."""

    def __init__(self, route_stages: Sequence[RouteStage], tenant: str) -> None:
        self.route_stages = tuple(route_stages)
        self.tenant = tenant

    @classmethod
    def of(cls, pipeline: Sequence[Stage]) -> RulesReload | None:
        """For the route stages of `pipeline`; None when it routes nothing."""
        routes = [s for s in pipeline if isinstance(s, RouteStage)]
        if not routes:
            return None
        return cls(routes, _pipeline_tenant(pipeline))

    def __call__(self, conn: Connection) -> None:
        like = self.route_stages[0].rules
        rules = rules_from_version(
            latest_version(conn, tenant=self.tenant), calendars=like.calendars, load=like.load
        )
        for stage in self.route_stages:
            stage.rules = rules


def _pipeline_tenant(pipeline: Sequence[Stage]) -> str:
    for stage in pipeline:
        if isinstance(stage, PersistStage) and stage.desk is not None:
            return str(stage.desk.policy.tenant)
    return "default"


def follow_rules(
    database: Database, role: str, pipeline: Sequence[Stage], running: Sequence[Stage]
) -> LiveConfig | None:
    """A started `LiveConfig` keeping the rules of `pipeline` current, when the stages this
    process runs (`running`, a part of `pipeline`) route; None when they do not."""
    if not any(isinstance(stage, RouteStage) for stage in running):
        return None
    reload = RulesReload.of(pipeline)
    assert reload is not None
    live = LiveConfig(database, role)
    live.on_reload(reload)
    live.start()
    return live
