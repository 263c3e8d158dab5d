"""Enrich: run every enricher over a batch and attach the `Enrichment` each post earns.

Enrichers see the whole batch at once so that models can vectorise; each returns one
partial `Enrichment` per post and the stage merges them in order.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

import msgspec

from rapport.nlp.language import LanguageDetector
from rapport.pipeline.stage import Stage
from rapport.records import Batch, Enrichment, Post


class Enricher(ABC):
    """Fills some fields of `Enrichment` for a batch of posts."""

    name: ClassVar[str]
    fields: ClassVar[tuple[str, ...]]

    @abstractmethod
    def enrich(self, posts: Sequence[Post]) -> list[dict[str, Any]]:
        """One dict of Enrichment fields (only those in `fields`) per post, in order."""


class LanguageEnricher(Enricher):
    name = "language"
    fields = ("lang", "lang_score")

    def __init__(self, detector: LanguageDetector | None = None) -> None:
        self.detector = detector or LanguageDetector()

    def enrich(self, posts: Sequence[Post]) -> list[dict[str, Any]]:
        found = []
        for post in posts:
            label = self.detector.detect(post.text)
            if label.label == "und" and post.lang:
                found.append({"lang": post.lang, "lang_score": 0.0})
            else:
                found.append({"lang": label.label, "lang_score": label.score})
        return found


class EnrichStage(Stage):
    name = "enrich"

    def __init__(self, enrichers: Sequence[Enricher]) -> None:
        self.enrichers = list(enrichers)

    def process(self, batch: Batch) -> Batch:
        if not self.enrichers or not batch.items:
            return batch
        posts = [e.post for e in batch.items]
        merged: list[dict[str, Any]] = [{} for _ in posts]
        for enricher in self.enrichers:
            for target, part in zip(merged, enricher.enrich(posts), strict=True):
                target.update(part)
        items = tuple(
            msgspec.structs.replace(envelope, enrichment=Enrichment(**fields))
            for envelope, fields in zip(batch.items, merged, strict=True)
        )
        return msgspec.structs.replace(batch, items=items)
