"""Score: give every enriched post its explainable priority (`score/priority.py`)."""

from __future__ import annotations

import msgspec

from rapport.nlp.features import normalise_batch
from rapport.nlp.lexicon import signals_batch
from rapport.pipeline.stage import Stage
from rapport.records import Batch
from rapport.score.priority import PriorityWeights, score_priority


class ScoreStage(Stage):
    name = "score"

    def __init__(self, weights: PriorityWeights | None = None) -> None:
        self.weights = weights or PriorityWeights()

    def process(self, batch: Batch) -> Batch:
        enriched = [e for e in batch.items if e.enrichment is not None]
        if not enriched:
            return batch
        cues = iter(signals_batch(normalise_batch([e.post.text for e in enriched]).split("\n")))
        items = []
        for envelope in batch.items:
            if envelope.enrichment is None:
                items.append(envelope)
                continue
            priority = score_priority(envelope.post, envelope.enrichment, next(cues), self.weights)
            items.append(msgspec.structs.replace(envelope, priority=priority))
        return msgspec.structs.replace(batch, items=tuple(items))
