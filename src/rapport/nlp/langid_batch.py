"""py3langid's classifier run over a whole batch of texts at once, with the same answers.

py3langid walks each text's UTF-8 bytes through a finite automaton in a Python loop, one
byte at a time, then scores the byte n-grams it met with naive Bayes: about 50 µs a post.
Here every text of the batch takes its step together (one numpy step per byte position,
texts sorted longest first so the ones still walking are a prefix), the n-gram counts of
the whole batch become one sparse matrix, and one product scores them all. The model, its
restriction to a set of languages, the length scaling and the merging of aliased labels
are py3langid's own; only the summation order of the scores differs.

Texts longer than `WALK_MAX_BYTES` are left to py3langid one by one, so one very long post
cannot make the batch's byte matrix large.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

WALK_MAX_BYTES = 2048


_AUTOMATA: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def _automaton(identifier: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(next state, row offset per state, feature per state) as arrays, made once per model
    (identifiers restricted to some languages share their full model's automaton)."""
    key = id(identifier.tk_nextmove)
    if key not in _AUTOMATA:
        _AUTOMATA[key] = (
            np.frombuffer(identifier.tk_nextmove, dtype=np.uint32),
            np.asarray(identifier._rowbase, dtype=np.int64),
            np.asarray(identifier.tk_output, dtype=np.int64),
        )
    return _AUTOMATA[key]


class BatchLangid:
    """A py3langid `LanguageIdentifier` (with `norm_probs=True`), classifying in batches."""

    def __init__(self, identifier: Any) -> None:
        self.identifier = identifier
        self._next, self._rowbase, self._output = _automaton(identifier)
        # Scored in float32 as py3langid does (float16 table times float32 log counts).
        self._table = np.ascontiguousarray(identifier.nb_ptc, dtype=np.float32)
        self._prior = np.asarray(identifier.nb_pc, dtype=np.float32)
        self._classes: list[str] = list(identifier.nb_classes)
        self._aliases: list[tuple[int, int]] = list(identifier._alias_pairs)

    def classify(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """(language, probability) per text, as `identifier.classify` gives them."""
        encoded = [self.identifier._encode(text) for text in texts]
        found: list[tuple[str, float]] = [("", 0.0)] * len(texts)
        short = [i for i, data in enumerate(encoded) if len(data) <= WALK_MAX_BYTES]
        for i in range(len(texts)):
            if len(encoded[i]) > WALK_MAX_BYTES:
                code, probability = self.identifier.classify(texts[i])
                found[i] = (str(code), float(probability))
        if short:
            probabilities = self._probabilities([encoded[i] for i in short])
            best = probabilities.argmax(axis=1)
            chosen = probabilities[np.arange(len(best)), best].tolist()
            for i, column, probability in zip(short, best.tolist(), chosen, strict=True):
                found[i] = (self._classes[column], float(probability))
        return found

    def _probabilities(self, encoded: list[bytes]) -> np.ndarray:
        counts = self._ngram_counts(encoded)
        scores: np.ndarray = np.asarray(counts @ self._table) + self._prior
        # A text without a single known n-gram scores zero everywhere, as in py3langid.
        scores[np.diff(counts.indptr) == 0] = 0.0
        lengths = np.array([len(data) or 1 for data in encoded], dtype=np.float32)
        scores *= (1.0 / np.sqrt(lengths))[:, None]
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        scores /= scores.sum(axis=1, keepdims=True)
        for first, alias in self._aliases:
            scores[:, first] += scores[:, alias]
            scores[:, alias] = 0.0
        return scores

    def _ngram_counts(self, encoded: list[bytes]) -> sp.csr_matrix:
        """log(1 + count) of every n-gram feature per text, as a (texts x features) matrix."""
        count = len(encoded)
        lengths = np.array([len(data) for data in encoded], dtype=np.int64)
        order = np.argsort(-lengths, kind="stable")
        walked = lengths[order]
        width = int(walked[0]) if count else 0
        features = np.full((count, max(width, 1)), -1, dtype=np.int64)
        if width:
            flat = np.frombuffer(b"".join(encoded[i] for i in order.tolist()), dtype=np.uint8)
            starts = np.zeros(count, dtype=np.int64)
            np.cumsum(walked[:-1], out=starts[1:])
            row = np.repeat(np.arange(count), walked)
            column = np.arange(len(flat)) - np.repeat(starts, walked)
            letters = np.zeros((count, width), dtype=np.int64)
            letters[row, column] = flat
            # Texts still walking at each position: a prefix, since they are longest first.
            walking = np.searchsorted(-walked, -np.arange(width), side="left")
            state = np.zeros(count, dtype=np.int64)
            for position in range(width):
                active = int(walking[position])
                moved = self._next[self._rowbase[state[:active]] + letters[:active, position]]
                state[:active] = moved
                features[:active, position] = self._output[moved]
        rows, columns = np.nonzero(features >= 0)
        keys = order[rows] * len(self._table) + features[rows, columns]
        unique, repeats = np.unique(keys, return_counts=True)
        text_of = unique // len(self._table)
        indptr = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(np.bincount(text_of, minlength=count), out=indptr[1:])
        return sp.csr_matrix(
            (np.log1p(repeats.astype(np.float32)), unique % len(self._table), indptr),
            shape=(count, len(self._table)),
        )
