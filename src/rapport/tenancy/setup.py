"""Each active tenant's setup for the pipeline: its rules, listening queries, SLA book, team
map, priority weights and own accounts, from what it saved and, where it saved nothing, from
the install's settings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import yaml

from rapport.care.load import OpenCases, TenantLoad
from rapport.care.sla_book import SlaBook
from rapport.errors import ConfigError
from rapport.listen.config import ListeningQuery
from rapport.records.tenants import TenancySnapshot
from rapport.route.conditions import QueueLoad
from rapport.route.rules import RuleSet
from rapport.score.priority import PriorityWeights
from rapport.tenancy import OPERATOR
from rapport.tenancy.config import TenantConfig, parse, with_value
from rapport.tenancy.routing import TenantWorkflow, Workflows


@dataclass(frozen=True)
class Defaults:
    """The install's settings: what a tenant that configured nothing of a kind runs with."""

    queries: tuple[ListeningQuery, ...] = ()  # the RAPPORT_QUERIES file, of any tenants
    sla: SlaBook = field(default_factory=SlaBook.default)
    own_handles: frozenset[str] = frozenset()  # the operator's (RAPPORT_OWN_HANDLES)


@dataclass(frozen=True)
class TenantSetup:
    tenant: str
    rules: RuleSet
    queries: tuple[ListeningQuery, ...]
    sla: SlaBook
    own_handles: frozenset[str]
    teams: Mapping[str, str] | None = None
    weights: PriorityWeights | None = None


def configs(snapshot: TenancySnapshot) -> dict[str, TenantConfig]:
    """Each tenant's saved configuration, parsed (it was checked when it was saved)."""
    found: dict[str, TenantConfig] = {t.id: TenantConfig() for t in snapshot.tenants}
    for version in snapshot.configs:
        current = found.get(version.tenant)
        if current is not None:
            value = parse(version.tenant, version.kind, version.body)
            found[version.tenant] = with_value(current, version.kind, value)
    return found


def setups(
    snapshot: TenancySnapshot, defaults: Defaults, *, load: QueueLoad | None = None
) -> list[TenantSetup]:
    """The setup of every active tenant."""
    saved = configs(snapshot)
    rules = {r.tenant: r for r in snapshot.rules}
    found = []
    for tenant in snapshot.tenants:
        config = saved[tenant.id]
        # Each tenant's rules see the load of its own queues.
        queues = load.for_tenant(tenant.id) if isinstance(load, OpenCases | TenantLoad) else load
        book = SlaBook(config.sla) if config.sla is not None else defaults.sla
        version = rules.get(tenant.id)
        if version is None:
            rule_set = RuleSet([], calendars=book.config.calendars, load=queues)
        else:
            try:
                data = yaml.safe_load(version.body)
            except yaml.YAMLError as error:
                raise ConfigError(f"rules version {version.version}: {error}") from None
            rule_set = RuleSet.parse(data, source=f"rules version {version.version}",
                                     calendars=book.config.calendars, load=queues)  # fmt: skip
        queries = (
            config.queries
            if config.queries is not None
            else tuple(q for q in defaults.queries if q.tenant == tenant.id)
        )
        own = config.handles
        if own is None:
            own = defaults.own_handles if tenant.id == OPERATOR else frozenset()
        found.append(
            TenantSetup(tenant.id, rule_set, queries, book, own, config.teams, config.weights)
        )
    return found


def listening(setups: Sequence[TenantSetup], defaults: Defaults) -> list[ListeningQuery]:
    """Every query the listen stage matches: each tenant's own, and the file's queries of
    names that are no tenant (their matches still count towards volume spikes)."""
    tenants = {s.tenant for s in setups}
    return [
        *(q for s in setups for q in s.queries),
        *(q for q in defaults.queries if q.tenant not in tenants),
    ]


def workflows(setups: Iterable[TenantSetup]) -> Workflows:
    """A tenant with no listening queries hears every post, as a one-tenant install does."""
    return Workflows(
        TenantWorkflow(
            s.tenant, s.rules, listens_to_all=not s.queries, weights=s.weights, teams=s.teams
        )
        for s in setups
    )
