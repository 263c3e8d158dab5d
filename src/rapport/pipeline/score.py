"""Score: give every enriched post its explainable priority (`score/priority.py`)."""

from __future__ import annotations

import msgspec

from rapport.pipeline.stage import Stage
from rapport.records import Batch
from rapport.score.priority import PriorityWeights, score_priority


class ScoreStage(Stage):
    name = "score"

    def __init__(self, weights: PriorityWeights | None = None) -> None:
        self.weights = weights or PriorityWeights()

    def process(self, batch: Batch) -> Batch:
        items = []
        for envelope in batch.items:
            if envelope.enrichment is None:
                items.append(envelope)
                continue
            priority = score_priority(envelope.post, envelope.enrichment, self.weights)
            items.append(msgspec.structs.replace(envelope, priority=priority))
        return msgspec.structs.replace(batch, items=tuple(items))
