"""Route: the workflow rules decide each scored post's team queue, tags and suppression."""

from __future__ import annotations

import msgspec

from rapport.pipeline.stage import Stage
from rapport.records import Batch, Priority
from rapport.route.rules import RuleSet


class RouteStage(Stage):
    name = "route"

    def __init__(self, rules: RuleSet | None = None) -> None:
        self.rules = rules or RuleSet([])

    def process(self, batch: Batch) -> Batch:
        items = []
        for envelope in batch.items:
            if envelope.enrichment is None:
                items.append(envelope)
                continue
            decision, adjustment = self.rules.decide(envelope)
            priority = envelope.priority
            if adjustment is not None and priority is not None:
                priority = Priority(
                    score=round(priority.score + adjustment.contribution, 2),
                    factors=(*priority.factors, adjustment),
                )
            items.append(msgspec.structs.replace(envelope, routing=decision, priority=priority))
        return msgspec.structs.replace(batch, items=tuple(items))
