"""Persist: a batch's new posts, its rejects and alerts, and the cases its routed posts open
or join, in one transaction through the one writer."""

from __future__ import annotations

from contextlib import AbstractContextManager

import msgspec
import sqlalchemy as sa

from rapport.care import hub as hubs
from rapport.care.desk import CaseChanges, CaseDesk
from rapport.pipeline.stage import Stage
from rapport.records import Batch, Envelope, Post
from rapport.store import Database
from rapport.store.backends.base import Inserted


class PersistStage(Stage):
    name = "persist"
    needs_database = True

    def __init__(
        self,
        database: Database,
        desk: CaseDesk | None = None,
        *,
        deliver_alerts: bool = False,
        hub: hubs.Hub | None = None,
    ) -> None:
        self.database = database
        self.desk = desk
        self.deliver_alerts = deliver_alerts
        self.hub = hub  # None: the process's default hub, which the web app streams

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
        stored: list[Envelope] = []
        changes: list[CaseChanges] = []

        def then(conn: sa.Connection, inserted: Inserted) -> None:
            stored.extend(_with_ids(batch.items, posts, inserted))
            if self.desk is not None:
                changes.append(self.desk.apply(conn, stored))

        self.database.store_batch(
            posts,
            batch.rejects,
            analyses,
            alerts=batch.alerts,
            deliver_alerts=self.deliver_alerts,
            then=then,
        )
        for change in changes:
            # After the commit, so the console never hears of a case that rolled back; this
            # call never raises.
            hubs.publish_case_changes(
                self.hub or hubs.default(), self.database, change.opened,
                [*change.joined, *change.folded],
            )  # fmt: skip
        return msgspec.structs.replace(batch, items=tuple(stored))


def _with_ids(items: tuple[Envelope, ...], posts: list[Post], inserted: Inserted) -> list[Envelope]:
    replace = msgspec.structs.replace
    if inserted.first_id is not None and len(inserted.ids) == len(items):
        # Every post new and none twice: their ids run in order, with no keys to look up.
        return [
            replace(envelope, post=post, stored_id=stored_id, duplicate=False)
            for stored_id, envelope, post in zip(
                range(inserted.first_id, inserted.first_id + len(items)), items, posts, strict=True
            )
        ]
    found = []
    claimed: set[tuple[str, str]] = set()
    for envelope, post in zip(items, posts, strict=True):
        # A key repeated inside one batch is stored once; its later copies are duplicates.
        key = (post.network, post.source_id)
        stored_id = None if key in claimed else inserted.ids.get(key)
        claimed.add(key)
        found.append(
            msgspec.structs.replace(
                envelope, post=post, stored_id=stored_id, duplicate=stored_id is None
            )
        )
    return found
