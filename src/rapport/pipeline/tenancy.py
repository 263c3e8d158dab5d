"""Every active tenant's setup, put in force in a pipeline's stages: at start, and again in
every process whenever a tenant's configuration or rules are saved (`tenancy.live`).

The listen stage matches every tenant's queries, the route stage runs each tenant's
workflow over the posts that tenant hears, and the persist stage opens each tenant's cases
with that tenant's desk (own accounts, SLA book).
"""

from __future__ import annotations

from collections.abc import Sequence

from rapport.care.desk import CaseDesk, Desks
from rapport.care.sla_book import SlaBooks
from rapport.pipeline.listen import ListenStage
from rapport.pipeline.persist import PersistStage
from rapport.pipeline.route import RouteStage
from rapport.pipeline.stage import Stage
from rapport.records.tenants import TenancySnapshot
from rapport.store import Connection, Database, tenants
from rapport.tenancy.live import LiveConfig
from rapport.tenancy.setup import Defaults, listening, setups, workflows


class TenancyReload:
    """Puts the tenants' setups into the listen, route and persist stages it was given."""

    def __init__(
        self, stages: Sequence[Stage], defaults: Defaults, books: SlaBooks | None = None
    ) -> None:
        self.defaults = defaults
        self.books = books
        self.listen = [s for s in stages if isinstance(s, ListenStage)]
        self.route = [s for s in stages if isinstance(s, RouteStage)]
        self.persist = [s for s in stages if isinstance(s, PersistStage) and s.desks]

    def __bool__(self) -> bool:
        return bool(self.listen or self.route or self.persist)

    def __call__(self, conn: Connection) -> None:
        self.apply(tenants.snapshot(conn))

    def apply(self, snapshot: TenancySnapshot) -> None:
        load = next(
            (w.rules.load for s in self.route for w in s.workflows.by_tenant.values()), None
        )
        found = setups(snapshot, self.defaults, load=load)
        # Everything is built before anything is swapped: a bad setup changes nothing.
        queries = listening(found, self.defaults)
        flows = workflows(found)
        template = self._template()
        desks = (
            Desks(template.for_tenant(s.tenant, s.own_handles, s.sla) for s in found)
            if template is not None
            else None
        )
        for listen in self.listen:
            listen.replace_queries(queries)
        for route in self.route:
            route.replace_workflows(flows)
        if desks is not None:
            for persist in self.persist:
                persist.replace_desks(desks)
        if self.books is not None:
            self.books.replace({s.tenant: s.sla for s in found})

    def _template(self) -> CaseDesk | None:
        for persist in self.persist:
            for desk in persist.desks or ():
                return desk
        return None


def follow_tenants(
    database: Database, role: str, reload: TenancyReload, running: Sequence[Stage]
) -> LiveConfig | None:
    """A started `LiveConfig` keeping the tenants' setups current in the stages this process
    runs; None when none of them listens, routes or opens cases."""
    kinds = (ListenStage, RouteStage, PersistStage)
    if not any(isinstance(stage, kinds) for stage in running):
        return None
    live = LiveConfig(database, role)
    live.on_reload(reload)
    live.start()
    return live
