"""Persist: a batch's new posts, its rejects and alerts, and the cases its routed posts open
or join, in one transaction through the one writer (`rapport.actions.batches`)."""

from __future__ import annotations

from contextlib import AbstractContextManager

import msgspec

from rapport.actions.base import Context
from rapport.actions.batches import HubAnnouncer, store_batch
from rapport.care import hub as hubs
from rapport.care.desk import CaseDesk, Desks
from rapport.pipeline.stage import Stage
from rapport.records import Batch, Envelope
from rapport.store import Database


class PersistStage(Stage):
    name = "persist"
    needs_database = True

    def __init__(
        self,
        database: Database,
        desks: Desks | CaseDesk | None = None,
        *,
        deliver_alerts: bool = False,
        hub: hubs.Hub | None = None,
    ) -> None:
        self.database = database
        # One desk is a one-tenant install's.
        self.desks = Desks([desks]) if isinstance(desks, CaseDesk) else desks
        self.deliver_alerts = deliver_alerts
        self.hub = hub  # None: the process's default hub, which the web app streams

    def replace_desks(self, desks: Desks) -> None:
        """Put new tenants' desks in force; the next batch is stored with them."""
        self.desks = desks

    def replayable_source(self) -> AbstractContextManager[None]:
        return self.database.deferred_durability()

    def process(self, batch: Batch) -> Batch:
        posts = [
            msgspec.structs.replace(e.post, lang=e.enrichment.lang)
            if e.enrichment is not None and e.enrichment.lang != "und"
            else e.post
            for e in batch.items
        ]
        analyses: dict[tuple[str, str], Envelope] = {}
        for e in batch.items:
            if e.enrichment is not None and e.enrichment.sentiment is not None:
                # The first copy of a post in a batch is the one stored, so is its analysis.
                analyses.setdefault((e.post.network, e.post.source_id), e)
        context = Context(self.database, events=HubAnnouncer(self.database, self.hub))
        stored = store_batch(
            context, batch.items, posts,
            rejects=batch.rejects, analyses=analyses, alerts=batch.alerts,
            deliver_alerts=self.deliver_alerts, desks=self.desks,
        )  # fmt: skip
        return msgspec.structs.replace(batch, items=stored)
