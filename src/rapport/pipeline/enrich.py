"""Enrich: run every enricher over a batch and attach the `Enrichment` each post earns.

Enrichers see the whole batch at once so that models can vectorise. They share one
`BatchContext`: the features are extracted once and every model head reads them, and each
enricher can read what the enrichers before it found (intent needs the language).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import cached_property
from typing import Any, ClassVar

import msgspec
import scipy.sparse as sp

from rapport.nlp.extract import with_cues
from rapport.nlp.features import DEFAULT_SPEC, featurise_normalised, normalise_batch
from rapport.nlp.lexicon import signals_of_lines
from rapport.pipeline.stage import Stage
from rapport.records import Batch, Enrichment, Post


class BatchContext:
    """What enrichers share for one batch: texts, features, cue phrases, results so far."""

    def __init__(self, posts: Sequence[Post]) -> None:
        self.posts = posts
        self.texts = [post.text for post in posts]
        self.found: list[dict[str, Any]] = [{} for _ in posts]

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
        return [found.get(name, default) for found in self.found]


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


class EnrichStage(Stage):
    name = "enrich"

    def __init__(self, enrichers: Sequence[Enricher]) -> None:
        self.enrichers = list(enrichers)
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

    def process(self, batch: Batch) -> Batch:
        if not self.enrichers or not batch.items:
            return batch
        context = BatchContext([e.post for e in batch.items])
        for enricher in self.enrichers:
            for target, part in zip(context.found, enricher.enrich(context), strict=True):
                target.update(part)
        items = tuple(
            msgspec.structs.replace(envelope, enrichment=Enrichment(**fields))
            for envelope, fields in zip(batch.items, context.found, strict=True)
        )
        return msgspec.structs.replace(batch, items=items)
