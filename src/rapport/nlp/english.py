"""English sentiment: its own TF-IDF features over the batch, and a compact linear head.

The features follow issue 3's second-round recipe (docs/models.md), computed with numpy over
the whole batch at once (no Python loop per post):

- **word block**: word 1-3-grams of tokens. A token is a run of word characters
  (apostrophes, "#" and "@" included: "don't", "#fail", "@user"), or one punctuation mark
  or symbol (emoji included; a run of the same mark is one token). After a negator
  ("not", "never", "dont", any word ending in "n't", ...) every token is marked `NEG_`
  until the next `. , : ; ! ?`, `@user`, `http` or the end of the text, so "not good" and
  "good" are different features.
- **char block**: character 2-5-grams inside space-padded words (`char_wb`).
- Each block is hashed into `2**bits` columns. Each block: sublinear tf (1 + log tf) times
  the training idf, then L2-normalised on its own, then weighted.

Only the columns seen in at least two training texts are kept; the others are dropped from
the text before normalising, in training and at run time alike. The file holds those
columns (int32), their idf and weights (float16), the bias and the temperature.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from rapport.errors import ConfigError

# The same hash as the shared featuriser's, with salts of this head's own.
from rapport.nlp.features import _M1, _M2, _NEWLINE, _P, _SPACE, _code_points, run_hash_tables
from rapport.nlp.linear import softmax

_NEG_SALT = np.uint64(0x2545F4914F6CDD1D)
_GRAM_SALTS = (np.uint64(0x5555555555555555), np.uint64(0x3333333333333333))
_CHAR_SALT = np.uint64(0x9E3779B97F4A7C15)

NEGATORS = [
    "not",
    "no",
    "never",
    "cannot",
    "nothing",
    "nobody",
    "none",
    "nor",
    "neither",
    "without",
    "nowhere",
    "dont",
    "cant",
    "wont",
    "isnt",
    "arent",
    "wasnt",
    "werent",
    "doesnt",
    "didnt",
    "havent",
    "hasnt",
    "hadnt",
    "shouldnt",
    "wouldnt",
    "couldnt",
    "aint",
]
STOPS = (".", ",", ":", ";", "!", "?", "@user", "http")
_WORDISH = "'\u2019#@"


@cache
def _word_table() -> np.ndarray:
    """True for the code points regex `\\w` matches, and for ' (U+0027, U+2019), # and @."""
    every = np.arange(0x110000, dtype=np.uint32)
    every[0xD800:0xE000] = 0  # surrogates are no letters
    table: np.ndarray = np.strings.isalnum(every.view("<U1"))
    for char in "_" + _WORDISH:
        table[ord(char)] = True
    return table


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit reaches the top bits, which pick the column."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    mixed: np.ndarray = x ^ (x >> np.uint64(31))
    return mixed


def _tokens(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(hash, doc, first, end code point index) of every token.

    A token is a run of word characters (with ' # @), or one punctuation mark or symbol:
    a run of the same mark is one token, counted as its first mark.
    """
    length = points.shape[0]
    is_sep = points == _NEWLINE
    doc = np.cumsum(is_sep, dtype=np.int32)
    gap = (points == _SPACE) | is_sep
    wordish = _word_table()[points]
    mark = ~gap & ~wordish
    starts_here = ~gap
    changes = (wordish[1:] != wordish[:-1]) | (mark[1:] & (points[1:] != points[:-1]))
    starts_here[1:] &= gap[:-1] | changes
    starts = np.flatnonzero(starts_here)
    ends = np.empty_like(starts)
    ends[:-1] = starts[1:]
    ends[-1:] = length
    # A word ends at the first gap or mark after its start; a mark is one code point.
    next_stop = np.flatnonzero(gap | mark)
    after = np.searchsorted(next_stop, starts, side="right").clip(max=len(next_stop) - 1)
    word_end = next_stop[after]
    ends = np.where(mark[starts], starts + 1, np.minimum(ends, word_end))
    with np.errstate(over="ignore"):
        prefix, inverse = run_hash_tables(points)
        hashes = (prefix[ends] - prefix[starts]) * inverse[starts]
    return hashes, doc[starts], starts, ends


def _hash_words(words: list[str]) -> np.ndarray:
    points = _code_points(" ".join(words))
    return np.unique(_tokens(points)[0])


@cache
def _negators_and_stops() -> tuple[np.ndarray, np.ndarray]:
    return _hash_words(NEGATORS), _hash_words(list(STOPS))


_APOSTROPHES, _N, _T = np.array([ord("'"), 0x2019], dtype=np.uint64), ord("n"), ord("t")


def negation_marks(
    hashes: np.ndarray, docs: np.ndarray, points: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """True for each token that follows a negator with no stop token (or new text) between."""
    count = hashes.shape[0]
    if count == 0:
        return np.zeros(0, dtype=bool)
    last = np.maximum(ends - 1, 0)
    nt = (
        (ends - starts >= 3)
        & (points[last] == _T)
        & np.isin(points[np.maximum(last - 1, 0)], _APOSTROPHES)
        & (points[np.maximum(last - 2, 0)] == _N)
    )
    negators, stops = _negators_and_stops()
    negator = np.isin(hashes, negators) | nt
    stop = np.isin(hashes, stops)
    index = np.arange(count, dtype=np.int64)
    new_doc = np.ones(count, dtype=bool)
    new_doc[1:] = docs[1:] != docs[:-1]
    # Event times on a doubled clock: a text's start at 2t-1, a stop at 2t, a negator at 2t
    # (it marks tokens after it, not itself).
    reset = np.where(stop, 2 * index, np.where(new_doc, 2 * index - 1, -2))
    last_reset = np.maximum.accumulate(reset)
    negated_at = np.where(negator, 2 * index, -3)
    last_negator = np.full(count, -3, dtype=np.int64)
    last_negator[1:] = np.maximum.accumulate(negated_at)[:-1]
    marked: np.ndarray = (last_negator > last_reset) & ~stop
    return marked


def _word_columns(points: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    hashes, docs, starts, ends = _tokens(points)
    marked = negation_marks(hashes, docs, points, starts, ends)
    shift = np.uint64(64 - bits)
    with np.errstate(over="ignore"):
        grams = _mix(np.where(marked, hashes ^ _NEG_SALT, hashes))
        columns = [grams >> shift]
        rows = [docs]
        previous = grams
        for n, salt in enumerate(_GRAM_SALTS, start=2):
            if len(grams) < n:
                break
            previous = _mix(previous[:-1] * _P + grams[n - 1 :] + salt)
            same = docs[: len(docs) - n + 1] == docs[n - 1 :]
            columns.append((previous >> shift)[same])
            rows.append(docs[: len(docs) - n + 1][same])
    return np.concatenate(rows), np.concatenate(columns).astype(np.int64)


def _char_columns(points: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    length = points.shape[0]
    breaks = (points == _SPACE) | (points == _NEWLINE)
    gaps = np.zeros(length + 1, dtype=np.int32)
    np.cumsum(breaks, out=gaps[1:])
    newlines = np.zeros(length + 1, dtype=np.int32)
    np.cumsum(points == _NEWLINE, out=newlines[1:])
    doc = newlines[:-1]
    shift = np.uint64(64 - bits)
    rows: list[np.ndarray] = []
    columns: list[np.ndarray] = []
    with np.errstate(over="ignore"):
        rolling = points.copy()
        for n in range(2, 6):
            m = length - n + 1
            if m <= 0:
                break
            rolling = rolling[:m] * _P + points[n - 1 : n - 1 + m]
            # Inside one space-padded word: no break strictly inside the window, no newline.
            inside = (gaps[n - 1 : n - 1 + m] - gaps[1 : 1 + m]) == 0
            inside &= newlines[n : n + m] == newlines[:m]
            if n == 2:
                inside &= ~(breaks[:m] & breaks[1 : 1 + m])
            at = np.flatnonzero(inside)
            # An odd multiplier spreads the polynomial hash into the top bits (the column).
            columns.append(((rolling[at] + _CHAR_SALT * np.uint64(n)) * _M1) >> shift)
            rows.append(doc[at])
    if not rows:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(columns).astype(np.int64)


def occurrences(normalised: str, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """(text, column) of every n-gram occurrence: char block in [0, 2**bits), word block in
    [2**bits, 2**(bits+1)). `normalised` is `features.normalise_batch(texts)`."""
    points = _code_points(normalised)
    char_rows, char_cols = _char_columns(points, bits)
    word_rows, word_cols = _word_columns(points, bits)
    rows = np.concatenate([char_rows, word_rows]).astype(np.int32, copy=False)
    return rows, np.concatenate([char_cols, word_cols + (1 << bits)])


def count_matrix(rows: np.ndarray, columns: np.ndarray, count: int, width: int) -> sp.csr_matrix:
    """Occurrences summed into canonical CSR rows: one sort of (row, column) keys."""
    shift = max(int(width - 1).bit_length(), 1)
    # 32-bit keys when they fit (a batch of up to 2,048 texts): they sort twice as fast.
    kind: type[np.signedinteger[Any]] = np.int32 if count << shift < 1 << 31 else np.int64
    keys: np.ndarray = (rows.astype(kind) << kind(shift)) | columns.astype(kind)
    keys.sort()
    first = np.empty(len(keys), dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    at = np.flatnonzero(first)
    unique = keys[at]
    counts = np.diff(at, append=len(keys)).astype(np.float32)
    indptr = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(unique >> shift, minlength=count), out=indptr[1:])
    columns = (unique & ((1 << shift) - 1)).astype(np.int32)
    return sp.csr_matrix((counts, columns, indptr), shape=(count, width))


def english_counts(normalised: str, count: int, bits: int) -> sp.csr_matrix:
    """Raw n-gram counts per text over the whole space of 2**(bits+1) columns."""
    rows, columns = occurrences(normalised, bits)
    return count_matrix(rows, columns, count, 2 << bits)


def tfidf(
    counts: sp.csr_matrix, idf: np.ndarray, first_word: int, block_weights: np.ndarray
) -> sp.csr_matrix:
    """Sublinear tf times idf, L2-normalised per row and block, times the block's weight.

    `counts` holds each text's counts over the kept columns, sorted: the char block's
    columns come first, the word block starts at column `first_word`.
    """
    data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    key = np.repeat(np.arange(0, 2 * counts.shape[0], 2), np.diff(counts.indptr))
    key += counts.indices >= first_word
    norms = np.sqrt(np.bincount(key, weights=data * data, minlength=2 * counts.shape[0]))
    scale = np.tile(block_weights, counts.shape[0]) / np.maximum(norms, 1e-12)
    data *= scale[key].astype(np.float32)
    return sp.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)


@dataclass
class EnglishHead:
    """scores = tfidf(kept counts) @ weights + bias; probabilities = softmax(scores / T)."""

    classes: tuple[str, ...]
    columns: np.ndarray  # int32, sorted kept columns of the 2**(bits+1) space
    idf: np.ndarray  # float32 per kept column
    weights: np.ndarray  # float32, (len(columns), len(classes))
    bias: np.ndarray  # float32, (len(classes),)
    bits: int
    block_weights: tuple[float, float] = (1.0, 1.0)  # char, word
    temperature: float = 1.0
    meta: dict[str, Any] = field(default_factory=dict)
    _lookup: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.weights.shape != (len(self.columns), len(self.classes)) or self.idf.shape != (
            len(self.columns),
        ):
            raise ConfigError(
                f"English sentiment model: weights {self.weights.shape}, idf {self.idf.shape} "
                f"for {len(self.columns)} columns; retrain it with `rapport train`"
            )
        self._first_word = int(np.searchsorted(self.columns, 1 << self.bits))
        self._block_weights = np.asarray(self.block_weights, dtype=np.float32)

    @property
    def lookup(self) -> np.ndarray:
        if self._lookup is None:
            table = np.full(2 << self.bits, -1, dtype=np.int32)
            table[self.columns] = np.arange(len(self.columns), dtype=np.int32)
            self._lookup = table
        return self._lookup

    def features(self, normalised: str, count: int) -> sp.csr_matrix:
        """The TF-IDF rows over the kept columns (n-grams unseen in training are dropped)."""
        if count == 0:
            return sp.csr_matrix((0, len(self.columns)), dtype=np.float32)
        rows, columns = occurrences(normalised, self.bits)
        mapped = self.lookup[columns]
        kept = mapped >= 0
        counts = count_matrix(rows[kept], mapped[kept], count, len(self.columns))
        return tfidf(counts, self.idf, self._first_word, self._block_weights)

    def scores(self, normalised: str, count: int) -> np.ndarray:
        scores: np.ndarray = np.asarray(self.features(normalised, count) @ self.weights) + self.bias
        return scores

    def probabilities(self, normalised: str, count: int) -> np.ndarray:
        return softmax(self.scores(normalised, count) / self.temperature)

    def save(self, path: Path) -> None:
        header = {
            "name": "sentiment_en",
            "classes": list(self.classes),
            "bits": self.bits,
            "block_weights": list(self.block_weights),
            "temperature": self.temperature,
            "meta": self.meta,
        }
        np.savez_compressed(
            path,
            columns=self.columns.astype(np.int32),
            idf=self.idf.astype(np.float16),
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            header=np.array(json.dumps(header)),
        )

    @classmethod
    def load(cls, path: Path) -> EnglishHead:
        try:
            with np.load(path, allow_pickle=False) as data:
                header = json.loads(str(data["header"]))
                weights = header["block_weights"]
                return cls(
                    classes=tuple(header["classes"]),
                    columns=data["columns"].astype(np.int32),
                    idf=data["idf"].astype(np.float32),
                    weights=data["weights"].astype(np.float32),
                    bias=data["bias"].astype(np.float32),
                    bits=int(header["bits"]),
                    block_weights=(float(weights[0]), float(weights[1])),
                    temperature=float(header["temperature"]),
                    meta=header.get("meta", {}),
                )
        except (OSError, KeyError, ValueError, TypeError) as error:
            raise ConfigError(
                f"cannot load model file {path}: {error}; rebuild it with `rapport train`"
            ) from error
