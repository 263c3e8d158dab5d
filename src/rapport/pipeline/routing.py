"""Which tenant this process's runner routes for, and a way to swap the rules it routes by."""

from __future__ import annotations

from dataclasses import dataclass

from rapport.pipeline.persist import PersistStage
from rapport.pipeline.route import RouteStage
from rapport.pipeline.runner import Runner
from rapport.route.rules import RuleSet


@dataclass(frozen=True)
class ProcessRouting:
    """The route stage of a runner, and the tenant whose cases the runner's desk opens."""

    stage: RouteStage
    tenant: str

    @property
    def rules(self) -> RuleSet:
        return self.stage.rules

    def put_in_force(self, rules: RuleSet) -> None:
        # The stage reads its rules once per batch, so the next batch routes by these.
        self.stage.rules = rules


def routing_tenant(runner: Runner) -> str:
    """The tenant whose cases the pipeline opens, and whose rules it routes by."""
    for stage in runner.stages:
        if isinstance(stage, PersistStage) and stage.desk is not None:
            return str(stage.desk.policy.tenant)
    return "default"


def process_routing(runner: Runner) -> ProcessRouting | None:
    """The runner's routing, or None where it runs without (RAPPORT_ENRICH=false)."""
    stage = next((s for s in runner.stages if isinstance(s, RouteStage)), None)
    return ProcessRouting(stage, routing_tenant(runner)) if stage is not None else None
