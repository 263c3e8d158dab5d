"""Persist: a batch's new posts and its rejects in one transaction, through the one writer."""

from __future__ import annotations

import msgspec

from rapport.pipeline.stage import Stage
from rapport.records import Batch, Envelope
from rapport.store import Database


class PersistStage(Stage):
    name = "persist"
    needs_database = True

    def __init__(self, database: Database) -> None:
        self.database = database

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
        inserted = self.database.store_batch(posts, batch.rejects, analyses)
        items = []
        claimed: set[tuple[str, str]] = set()
        for envelope, post in zip(batch.items, posts, strict=True):
            # A key repeated inside one batch is stored once; its later copies are duplicates.
            key = (post.network, post.source_id)
            stored_id = None if key in claimed else inserted.ids.get(key)
            claimed.add(key)
            items.append(
                msgspec.structs.replace(
                    envelope, post=post, stored_id=stored_id, duplicate=stored_id is None
                )
            )
        return msgspec.structs.replace(batch, items=tuple(items))
