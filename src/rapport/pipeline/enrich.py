"""Enrich: run every enricher over a batch and attach the `Enrichment` each post earns.

Enrichers see the whole batch at once so that models can vectorise. They share one
`BatchContext`: the features are extracted once and every model head reads them, and each
enricher can read what the enrichers before it found (intent needs the language).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from typing import Any, ClassVar

import msgspec
import scipy.sparse as sp

from rapport.nlp.extract import with_cues
from rapport.nlp.features import DEFAULT_SPEC, featurise_normalised, normalise_batch
from rapport.nlp.lexicon import signals_of_lines
from rapport.pipeline.stage import Stage
from rapport.records import Batch, Enrichment, Envelope, Post


class BatchContext:
    """What enrichers share for one batch: texts, features, cue phrases, results so far."""

    def __init__(self, posts: Sequence[Post]) -> None:
        self.posts = posts
        self.texts = [post.text for post in posts]
        self.found: list[dict[str, Any]] = [{} for _ in posts]
        # Columns already read, by field name; the stage drops a field's column when an
        # enricher writes that field.
        self._columns: dict[tuple[str, Any], list[Any]] = {}

    @cached_property
    def normalised(self) -> str:
        return normalise_batch(self.texts)

    @cached_property
    def features(self) -> sp.csr_matrix:
        ngrams = featurise_normalised(self.normalised, len(self.texts), DEFAULT_SPEC)
        return with_cues(ngrams, self.signals, DEFAULT_SPEC)

    @cached_property
    def signals(self) -> list[dict[str, list[str]]]:
        """Cue phrases found in each post (lower-cased, handles and links replaced)."""
        if not self.texts:
            return []
        return signals_of_lines(self.normalised, len(self.texts))

    def field(self, name: str, default: Any = None) -> list[Any]:
        """The value of one field for every post (the same list object for every reader:
        treat it as read-only)."""
        key = (name, default)
        column = self._columns.get(key)
        if column is None:
            column = self._columns[key] = [found.get(name, default) for found in self.found]
        return column

    def record(self, parts: Sequence[dict[str, Any]], fields: Sequence[str]) -> None:
        """Add an enricher's results, one dict per post, for the `fields` it fills."""
        for target, part in zip(self.found, parts, strict=True):
            target.update(part)
        written = set(fields)
        for key in [key for key in self._columns if key[0] in written]:
            del self._columns[key]


class Enricher(ABC):
    """Fills some fields of `Enrichment` for a batch of posts.

    `needs` names the fields an enricher reads from earlier enrichers through the context.
    """

    name: ClassVar[str]
    fields: ClassVar[tuple[str, ...]]
    needs: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def enrich(self, context: BatchContext) -> list[dict[str, Any]]:
        """One dict of Enrichment fields (only those in `fields`) per post, in order."""

    def run(self, posts: Sequence[Post]) -> list[dict[str, Any]]:
        """Enrich posts on their own (tests, one-off use); the stage shares one context."""
        return self.enrich(BatchContext(posts))


# Batches smaller than this are not split: the fixed cost per call outweighs the gain.
MIN_SPLIT_POSTS = 256


class EnrichStage(Stage):
    """Runs the enrichers over each batch, split into `threads` consecutive parts.

    Most of the models' work is numpy and scipy vector code that releases the interpreter
    lock, so parts of one batch enriched on threads of their own use a second core; every
    part is enriched as a batch of its own, so the results are the same as unsplit. The
    first batch runs whole, loading every model once before any thread shares them.
    """

    name = "enrich"

    def __init__(self, enrichers: Sequence[Enricher], *, threads: int = 1) -> None:
        if threads < 1:
            from rapport.errors import ConfigError

            raise ConfigError(f"enrich threads must be at least 1, got {threads}")
        self.enrichers = list(enrichers)
        self.threads = threads
        self._pool: ThreadPoolExecutor | None = None
        self._warm = False
        available: set[str] = set()
        for enricher in self.enrichers:
            missing = set(enricher.needs) - available
            if missing:
                from rapport.errors import ConfigError

                raise ConfigError(
                    f"enricher {enricher.name!r} needs {', '.join(sorted(missing))} from an "
                    "enricher placed before it"
                )
            available |= set(enricher.fields)

    @property
    def passes_through(self) -> bool:
        # Without enrichers (`--no-enrich`); shipping the stage to the file helper anyway
        # would make it import SciPy, a second and more of start-up that the writer spends
        # waiting for the first batch.
        return not self.enrichers

    def __getstate__(self) -> dict[str, Any]:
        # A copy sent to another process starts its own threads (and loads its own models).
        return self.__dict__ | {"_pool": None, "_warm": False}

    def process(self, batch: Batch) -> Batch:
        if not self.enrichers or not batch.items:
            return batch
        envelopes = batch.items
        parts = min(self.threads, len(envelopes) // MIN_SPLIT_POSTS) if self._warm else 1
        if parts <= 1:
            items = self._enrich(envelopes)
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads - 1, thread_name_prefix="enrich")
            size = -(-len(envelopes) // parts)
            pieces = [envelopes[i : i + size] for i in range(0, len(envelopes), size)]
            futures = [self._pool.submit(self._enrich, piece) for piece in pieces[1:]]
            items = self._enrich(pieces[0])
            for future in futures:
                items += future.result()
        self._warm = True
        return msgspec.structs.replace(batch, items=items)

    def _enrich(self, envelopes: tuple[Envelope, ...]) -> tuple[Envelope, ...]:
        context = BatchContext([e.post for e in envelopes])
        for enricher in self.enrichers:
            context.record(enricher.enrich(context), enricher.fields)
        return tuple(
            msgspec.structs.replace(envelope, enrichment=Enrichment(**fields))
            for envelope, fields in zip(envelopes, context.found, strict=True)
        )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
