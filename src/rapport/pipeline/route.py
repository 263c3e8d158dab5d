"""Route: each tenant that listens to a scored post decides its queue, tags and suppression
by its own workflow rules (`tenancy/routing.py`)."""

from __future__ import annotations

import msgspec

from rapport.pipeline.stage import Stage
from rapport.records import Batch
from rapport.route.rules import RuleSet
from rapport.tenancy import OPERATOR
from rapport.tenancy.routing import TenantWorkflow, Workflows


class RouteStage(Stage):
    name = "route"

    def __init__(self, workflows: Workflows | RuleSet | None = None) -> None:
        # A bare rule set is a one-tenant install: the operator's tenant hears every post.
        if not isinstance(workflows, Workflows):
            rules = workflows if workflows is not None else RuleSet([])
            workflows = Workflows([TenantWorkflow(OPERATOR, rules, listens_to_all=True)])
        self.workflows = workflows

    def replace_workflows(self, workflows: Workflows) -> None:
        """Put new tenants' workflows in force; the next batch is routed by them."""
        self.workflows = workflows

    def process(self, batch: Batch) -> Batch:
        route = self.workflows.route
        items = [
            envelope
            if envelope.enrichment is None
            else msgspec.structs.replace(envelope, routes=route(envelope))
            for envelope in batch.items
        ]
        return msgspec.structs.replace(batch, items=tuple(items))
