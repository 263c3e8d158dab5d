"""Which tenants a post reaches, and what each tenant's workflow decides for it.

A tenant listens to the posts its listening queries match. A tenant with no queries at all
listens to every post: that is how a one-tenant install works with no configuration, and
how an operator's own brand can see the whole stream. Posts and authors stay one shared
stream; what each tenant decides is its own `TenantRoute`, so a post matching two tenants
opens a case in each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import msgspec

from rapport.records import Envelope, Priority, TenantRoute
from rapport.route.rules import RuleSet
from rapport.score.priority import PriorityWeights, reweigh


@dataclass(frozen=True)
class TenantWorkflow:
    """One tenant's say over the posts it listens to."""

    tenant: str
    rules: RuleSet
    listens_to_all: bool = False
    weights: PriorityWeights | None = None  # None: the install's weights stand
    teams: Mapping[str, str] | None = None  # intent -> team; None: the install's map


class Workflows:
    """Every active tenant's workflow, and the routing of a post through the ones it
    reaches."""

    def __init__(self, workflows: Iterable[TenantWorkflow]) -> None:
        self.by_tenant = {w.tenant: w for w in sorted(workflows, key=lambda w: w.tenant)}
        self._everything = tuple(w for w in self.by_tenant.values() if w.listens_to_all)
        # With no tenant listening by its queries (a one-tenant install), a post's matches
        # cannot change who hears it: the hot path skips reading them.
        self._by_queries = len(self._everything) < len(self.by_tenant)

    def __len__(self) -> int:
        return len(self.by_tenant)

    def listeners(self, matches: Sequence[str]) -> tuple[TenantWorkflow, ...]:
        if not matches or not self._by_queries:
            return self._everything
        named = {match.partition("/")[0] for match in matches}
        found = [self.by_tenant[t] for t in sorted(named) if t in self.by_tenant]
        if not found:
            return self._everything
        return tuple(sorted({*found, *self._everything}, key=lambda w: w.tenant))

    def route(self, envelope: Envelope) -> tuple[TenantRoute, ...]:
        listeners = self.listeners(envelope.matches)
        if len(listeners) == 1:  # most posts, in most installs
            return (_route(listeners[0], envelope),)
        return tuple([_route(w, envelope) for w in listeners])


def _route(workflow: TenantWorkflow, envelope: Envelope) -> TenantRoute:
    seen = envelope
    if workflow.weights is not None and envelope.priority is not None:
        seen = msgspec.structs.replace(seen, priority=reweigh(envelope.priority, workflow.weights))
    enrichment = seen.enrichment
    if workflow.teams is not None and enrichment is not None and enrichment.intent is not None:
        team: str | None = workflow.teams.get(enrichment.intent.label, enrichment.team)
        if team != enrichment.team:
            enrichment = msgspec.structs.replace(enrichment, team=team)
            seen = msgspec.structs.replace(seen, enrichment=enrichment)
    decision, adjustment = workflow.rules.decide(seen)
    priority = seen.priority
    if adjustment is not None and priority is not None:
        priority = Priority(
            score=round(priority.score + adjustment.contribution, 2),
            factors=(*priority.factors, adjustment),
        )
    return TenantRoute(tenant=workflow.tenant, decision=decision, priority=priority)
