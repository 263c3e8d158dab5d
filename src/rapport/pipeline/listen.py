"""Listen: which of the tenants' listening queries each post matches (`listen/`)."""

from __future__ import annotations

from typing import Any

import msgspec

from rapport.listen.config import ListeningQuery, compile_queries
from rapport.listen.matcher import PostView
from rapport.pipeline.stage import Stage
from rapport.records import Batch


class ListenStage(Stage):
    name = "listen"

    def __init__(self, queries: list[ListeningQuery]) -> None:
        self.queries = list(queries)
        self.query_set = compile_queries(self.queries)

    def replace_queries(self, queries: list[ListeningQuery]) -> None:
        """Put new listening queries in force; the next batch is matched against them."""
        query_set = compile_queries(queries)
        self.queries, self.query_set = list(queries), query_set

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled queries are closures; a copy for another process compiles its own.
        return (ListenStage, (self.queries,))

    def process(self, batch: Batch) -> Batch:
        if not self.queries:
            return batch
        match = self.query_set.match
        items = []
        for envelope in batch.items:
            found = match(PostView.of(envelope.post, envelope.enrichment))
            items.append(
                msgspec.structs.replace(envelope, matches=tuple(found)) if found else envelope
            )
        return msgspec.structs.replace(batch, items=tuple(items))
