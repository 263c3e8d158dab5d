"""Sentiment (negative / neutral / positive) with a calibrated probability, in 25 languages.

One linear model over the shared features, plus a per-language copy of every feature
(`group_copies`): languages share what transfers (emoji, "!!!", loan words) and
learn their own corrections. A language without training data uses the shared part alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from rapport.nlp.extract import features_for
from rapport.nlp.features import group_copies
from rapport.nlp.linear import LinearHead, softmax
from rapport.nlp.models import load_head
from rapport.records import Label


class SentimentModel:
    @cached_property
    def head(self) -> LinearHead:
        return load_head("sentiment")

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def predict(
        self, texts: Sequence[str], langs: Sequence[str], features: sp.csr_matrix | None = None
    ) -> list[Label]:
        if not texts:
            return []
        head = self.head
        if features is None:
            features = features_for(texts, head.spec)
        groups: dict[str, int] = head.meta["groups"]
        group_ids = np.fromiter(
            (groups.get(lang, 0) for lang in langs), dtype=np.int64, count=len(langs)
        )
        copies = group_copies(features, group_ids, head.spec.bits)
        scores = head.scores(features) + head.margins(copies)
        probs = softmax(scores / head.temperature)
        best = probs.argmax(axis=1)
        chosen = np.round(probs[np.arange(len(best)), best], 4).tolist()
        return [
            Label(label=head.classes[i], score=p)
            for i, p in zip(best.tolist(), chosen, strict=True)
        ]


def negative_probability(label: Label | None) -> float:
    """P(negative): the score when the label is negative, else the rest shared by two classes."""
    if label is None:
        return 0.0
    return label.score if label.label == "negative" else (1.0 - label.score) / 2
