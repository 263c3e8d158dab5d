"""Everything the models read from a batch of posts, extracted once: n-grams and cue phrases.

Cue phrases (`lexicon`) are added to the n-gram matrix as language-free features
(`cue:negative`, `cue:fraud`, ...), so a model head learns what "pessimo", "berbat" and
"terrible" share even where its training data holds few of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from rapport.nlp.features import DEFAULT_SPEC, FeatureSpec, featurise_normalised, normalise_batch
from rapport.nlp.lexicon import SIGNALS, signals_batch

CUE_WEIGHT = 0.3
CUE_CAP = 3


def cue_column(signal: str, spec: FeatureSpec) -> int:
    """A fixed column per signal, spread over the space by a multiplicative hash."""
    index = SIGNALS.index(signal) + 1
    return (index * 0x9E3779B1 * 2654435761) % spec.width


@dataclass(frozen=True)
class Extracted:
    features: sp.csr_matrix
    signals: list[dict[str, list[str]]]


def extract(texts: Sequence[str], spec: FeatureSpec = DEFAULT_SPEC) -> Extracted:
    normalised = normalise_batch(texts)
    ngrams = featurise_normalised(normalised, len(texts), spec)
    signals = signals_batch(normalised.split("\n")) if texts else []
    return Extracted(with_cues(ngrams, signals, spec), signals)


def features_for(texts: Sequence[str], spec: FeatureSpec = DEFAULT_SPEC) -> sp.csr_matrix:
    return extract(texts, spec).features


def with_cues(
    ngrams: sp.csr_matrix, signals: Sequence[dict[str, list[str]]], spec: FeatureSpec
) -> sp.csr_matrix:
    """The n-gram rows with each row's cue features appended (no re-sorting of the rows)."""
    columns = {name: cue_column(name, spec) for name in SIGNALS}
    cue_rows: list[int] = []
    cue_cols: list[int] = []
    cue_vals: list[float] = []
    for row, found in enumerate(signals):
        for name, phrases in found.items():
            cue_rows.append(row)
            cue_cols.append(columns[name])
            cue_vals.append(CUE_WEIGHT * min(len(phrases), CUE_CAP))
    if not cue_rows:
        return ngrams
    count = ngrams.shape[0]
    cue_counts = np.bincount(np.asarray(cue_rows), minlength=count)
    cue_indptr = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(cue_counts, out=cue_indptr[1:])
    old_indptr = ngrams.indptr.astype(np.int64)
    ngram_rows = np.repeat(np.arange(count), np.diff(old_indptr))
    total = len(ngrams.indices) + len(cue_rows)
    indices = np.empty(total, dtype=np.int32)
    data = np.empty(total, dtype=np.float32)
    at_ngram = np.arange(len(ngrams.indices)) + cue_indptr[ngram_rows]
    indices[at_ngram] = ngrams.indices
    data[at_ngram] = ngrams.data
    rows = np.asarray(cue_rows)
    at_cue = old_indptr[rows + 1] + np.arange(len(rows))
    indices[at_cue] = cue_cols
    data[at_cue] = cue_vals
    return sp.csr_matrix((data, indices, old_indptr + cue_indptr), shape=ngrams.shape)
