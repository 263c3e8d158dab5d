"""Complaint detection: is this post a complaint, with a probability.

The model was trained on English tweets to brands. Elsewhere its character n-grams carry
only part of the signal, so for other languages the probability blends the model with
the negative-sentiment probability; a complaint cue phrase in a negative post sets a floor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from rapport.nlp.linear import LinearHead
from rapport.nlp.models import load_head
from rapport.nlp.sentiment import negative_probability
from rapport.records import Label

MODEL_WEIGHT_OTHER_LANGUAGES = 0.4
CUE_FLOOR = 0.7


class ComplaintModel:
    @cached_property
    def head(self) -> LinearHead:
        return load_head("complaint")

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def probabilities(self, features: sp.csr_matrix) -> np.ndarray:
        head = self.head
        return head.probabilities(features)[:, head.classes.index("complaint")]

    def predict(
        self,
        features: sp.csr_matrix,
        langs: Sequence[str],
        sentiments: Sequence[Label],
        signals: Sequence[Mapping[str, list[str]]],
    ) -> list[Label]:
        if features.shape[0] == 0:
            return []
        model = self.probabilities(features).tolist()
        found = []
        for p, lang, sentiment, cues in zip(model, langs, sentiments, signals, strict=True):
            negative = negative_probability(sentiment)
            if lang != "en":
                p = MODEL_WEIGHT_OTHER_LANGUAGES * p + (1 - MODEL_WEIGHT_OTHER_LANGUAGES) * negative
            if "complaint" in cues and sentiment.label == "negative":
                p = max(p, CUE_FLOOR)
            label = "complaint" if p >= 0.5 else "not_complaint"
            found.append(Label(label=label, score=round(p if p >= 0.5 else 1 - p, 4)))
        return found


def complaint_probability(label: Label | None) -> float:
    """P(complaint) from a complaint label, whichever way it points."""
    if label is None:
        return 0.0
    return label.score if label.label == "complaint" else 1.0 - label.score
