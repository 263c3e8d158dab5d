"""Sentiment (negative / neutral / positive) with a calibrated probability, in 25 languages.

One linear model over the shared features, plus a per-language copy of every feature
(`group_copies`): languages share what transfers (emoji, "!!!", loan words) and
learn their own corrections. A language without training data uses the shared part alone.

Posts detected as English go to their own head instead (`nlp/english.py`): TF-IDF word
1-3-grams with negation marking and word-bounded character n-grams, which read English
tweets better than the shared features do.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from rapport.nlp.english import EnglishHead
from rapport.nlp.extract import features_for
from rapport.nlp.features import group_copies, normalise_batch
from rapport.nlp.linear import LinearHead, softmax
from rapport.nlp.models import load_english_sentiment, load_head
from rapport.records import Label


class SentimentModel:
    @cached_property
    def head(self) -> LinearHead:
        return load_head("sentiment")

    @cached_property
    def english(self) -> EnglishHead:
        return load_english_sentiment()

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def predict(
        self,
        texts: Sequence[str],
        langs: Sequence[str],
        features: sp.csr_matrix | None = None,
        normalised: str | None = None,
    ) -> list[Label]:
        """One label per text; `features` and `normalised` are the batch's, when already made."""
        if not texts:
            return []
        head = self.head
        english = [i for i, lang in enumerate(langs) if lang == "en"]
        others = [i for i, lang in enumerate(langs) if lang != "en"]
        probs = np.empty((len(texts), len(head.classes)), dtype=np.float64)
        if others:
            if features is None:
                features = features_for([texts[i] for i in others], head.spec)
            elif len(others) < len(texts):
                features = features[others]
            probs[others] = self.multilingual(features, [langs[i] for i in others])
        if english:
            lines = (normalised if normalised is not None else normalise_batch(texts)).split("\n")
            subset = "\n".join(lines[i] for i in english)
            found = self.english.probabilities(subset, len(english))
            order = [self.english.classes.index(c) for c in head.classes]
            probs[english] = found[:, order]
        best = probs.argmax(axis=1)
        chosen = np.round(probs[np.arange(len(best)), best], 4).tolist()
        return [
            Label(label=head.classes[i], score=p)
            for i, p in zip(best.tolist(), chosen, strict=True)
        ]

    def multilingual(self, features: sp.csr_matrix, langs: Sequence[str]) -> np.ndarray:
        """The multilingual head's probabilities, whatever the language."""
        head = self.head
        groups: dict[str, int] = head.meta["groups"]
        group_ids = np.fromiter(
            (groups.get(lang, 0) for lang in langs), dtype=np.int64, count=len(langs)
        )
        copies = group_copies(features, group_ids, head.spec.bits)
        scores = head.scores(features) + head.margins(copies)
        return softmax(scores / head.temperature)


def negative_probability(label: Label | None) -> float:
    """P(negative): the score when the label is negative, else the rest shared by two classes."""
    if label is None:
        return 0.0
    return label.score if label.label == "negative" else (1.0 - label.score) / 2
