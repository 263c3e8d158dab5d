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
from rapport.nlp.lexicon import SIGNALS, signals_of_lines

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
    signals = signals_of_lines(normalised, len(texts)) if texts else []
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
    rows = np.asarray(cue_rows)
    # Each row's cues go after its n-grams: inserted before the next row's first entry.
    at = ngrams.indptr[rows + 1]
    indices = np.insert(ngrams.indices, at, np.asarray(cue_cols, dtype=np.int32))
    data = np.insert(ngrams.data, at, np.asarray(cue_vals, dtype=np.float32))
    indptr = ngrams.indptr.astype(np.int64)
    indptr[1:] += np.cumsum(np.bincount(rows, minlength=count))
    return sp.csr_matrix((data, indices, indptr), shape=ngrams.shape)
