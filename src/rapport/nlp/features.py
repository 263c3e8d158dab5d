"""Hashed character and word n-grams for a whole batch of posts at once, shared by every model.

The batch is joined into one string, normalised with a handful of regex passes and turned
into one array of code points; every n-gram hash is then computed with numpy over that
array, so the cost per post is a few microseconds of vector work rather than a Python
loop per post. All model heads read the same matrix, so features are extracted once.

Normalisation makes the features tweet-aware: handles become `@user`, links `http`,
letters repeated three or more times are squashed to two ("soooo" -> "soo"), and text is
lower-cased. Rows are scaled by 1/sqrt(number of n-grams) so long and short posts weigh
alike.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

_MENTION = re.compile(r"[@＠]\w+")
# Links: "http..." and "www." runs, and "http"/"https" as words. Each pattern starts with a
# literal, which the regex engine finds by fast search instead of trying every position;
# neither can match inside what the other replaced, so two passes equal one alternation.
_HTTP = re.compile(r"http(?:s?://[^\s\x00]+|\b(?<!\w.{4})|s\b(?<!\w.{5}))")
_WWW = re.compile(r"www\.[^\s\x00]+")
_ESCAPED = re.compile(r"\\u([0-9a-fA-F]{4})")
_SEP = "\n"
# Texts are joined by NUL while they are cleaned (a text may hold newlines, and neither
# escapes nor HTML entities can produce a NUL), then NUL becomes the newline separator.
_JOIN = "\x00"

# Odd multipliers for the hash: splitmix64 finalisers and the FNV prime.
_P = np.uint64(1000003)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_WORD_MULT = np.uint64(0x100000001B3)
_WORD_MULT_INVERSE = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_WORD_SALT = np.uint64(0x5555555555555555)
_BIGRAM_SALT = np.uint64(0x3333333333333333)
_NEWLINE = 10
_SPACE = 32


@dataclass(frozen=True)
class FeatureSpec:
    """Which n-grams are hashed, into how many columns. Models record the spec they need."""

    bits: int = 20
    char_min: int = 1
    char_max: int = 5
    words: bool = True
    bigrams: bool = True

    @property
    def width(self) -> int:
        return 1 << self.bits


DEFAULT_SPEC = FeatureSpec()


def _unescape(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return " " if ord(char) < 32 or 0xD800 <= ord(char) <= 0xDFFF else char


def normalise_one(text: str) -> str:
    """The text as the featuriser sees it (one post; used for keys and keyword matching)."""
    return normalise_batch([text])


def normalise_batch(texts: Sequence[str]) -> str:
    """All texts normalised and joined by newlines (which never occur inside a text)."""
    joined = _JOIN.join(t.replace(_JOIN, " ") for t in texts)
    if "\\u" in joined:
        joined = _ESCAPED.sub(_unescape, joined)
    if "&" in joined:
        joined = html.unescape(joined)
    joined = _MENTION.sub("@user", joined)
    if "http" in joined:
        joined = _HTTP.sub("http", joined)
    if "www." in joined:
        joined = _WWW.sub("http", joined)
    return _single_spaces(joined).replace(_JOIN, _SEP).lower()


def _single_spaces(text: str) -> str:
    """Every run of whitespace as one space (str.split is several times faster than a
    regex substitution that matches at every space)."""
    squeezed = " ".join(text.split())
    if text[:1].isspace():
        squeezed = " " + squeezed
    if text[-1:].isspace() and squeezed.strip():
        squeezed += " "
    return squeezed


def _code_points(normalised: str) -> np.ndarray:
    padded = " " + normalised.replace(_SEP, " \n ") + " "
    # surrogatepass: a lone surrogate from a broken decoder becomes a code point, not an error.
    points = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    repeated = np.zeros(points.shape[0], dtype=bool)
    tail, mid, head = points[2:], points[1:-1], points[:-2]
    repeated[2:] = (tail == mid) & (mid == head) & ((tail < 48) | (tail > 57)) & (tail != _NEWLINE)
    return points[~repeated].astype(np.uint64)


def featurise(texts: Sequence[str], spec: FeatureSpec = DEFAULT_SPEC) -> sp.csr_matrix:
    """One row per text, `spec.width` columns; duplicate entries in a row are summed by users."""
    return featurise_normalised(normalise_batch(texts), len(texts), spec)


def featurise_normalised(normalised: str, count: int, spec: FeatureSpec) -> sp.csr_matrix:
    if count == 0:
        return sp.csr_matrix((0, spec.width), dtype=np.float32)
    points = _code_points(normalised)
    length = points.shape[0]
    is_sep = points == _NEWLINE
    doc = np.cumsum(is_sep, dtype=np.int32)
    doc_before = np.zeros(length + 1, dtype=np.int32)
    doc_before[1:] = doc
    shift = np.uint64(64 - spec.bits)
    kinds = spec.char_max - spec.char_min + 1 + int(spec.words) + int(spec.words and spec.bigrams)
    # One row per code point, one column per n-gram kind ending or starting there: read
    # row by row, the valid entries come out grouped by text, as CSR wants them.
    columns_at = np.empty((length, kinds), dtype=np.int32)
    valid = np.zeros((length, kinds), dtype=bool)
    with np.errstate(over="ignore"):
        rolling = np.zeros(length, dtype=np.uint64)
        hashed = np.empty(length, dtype=np.uint64)
        column = 0
        for n in range(1, spec.char_max + 1):
            m = length - n + 1
            if m <= 0:
                break
            rolling = rolling[:m] * _P + points[n - 1 : n - 1 + m]
            if n < spec.char_min:
                continue
            inside = (doc_before[n : n + m] - doc_before[:m]) == 0
            if n == 1:
                inside &= points[:m] != _SPACE
            elif n == 2:  # two spaces only meet in an empty text
                inside &= (points[:m] != _SPACE) | (points[1 : 1 + m] != _SPACE)
            valid[:m, column] = inside
            salt = np.uint64((n * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF)
            out = hashed[:m]
            np.add(rolling, salt, out=out)
            np.multiply(out, _M1, out=out)
            np.right_shift(out, shift, out=out)
            columns_at[:m, column] = out
            column += 1
        if spec.words:
            _word_hashes(points, is_sep, doc, columns_at, valid, column, spec.bigrams, shift)
    flat = np.flatnonzero(valid.ravel())
    columns = columns_at.ravel()[flat]
    # Each text after the first begins at its separator, which holds no entry: the valid
    # entries before the separator's row belong to the texts before it.
    indptr = np.zeros(count + 1, dtype=np.int64)
    indptr[1:count] = np.searchsorted(flat, np.flatnonzero(is_sep) * kinds)
    indptr[count] = len(flat)
    counts = np.diff(indptr)
    scale = (1.0 / np.sqrt(np.maximum(counts, 1))).astype(np.float32)
    return sp.csr_matrix((np.repeat(scale, counts), columns, indptr), shape=(count, spec.width))


# One tuple, replaced whole, so a thread never sees powers and inverses of different sizes.
_POWER_TABLES = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))


def _power_tables(length: int) -> tuple[np.ndarray, np.ndarray]:
    """R**j and R**-j for j up to `length`, grown on demand and kept (they never change)."""
    global _POWER_TABLES
    tables = _POWER_TABLES
    if len(tables[0]) <= length:
        size = max(length + 1, 2 * len(tables[0]))
        powers = np.ones(size, dtype=np.uint64)
        powers[1:] = np.cumprod(np.full(size - 1, _WORD_MULT, dtype=np.uint64))
        inverses = np.ones(size, dtype=np.uint64)
        inverses[1:] = np.cumprod(np.full(size - 1, _WORD_MULT_INVERSE, dtype=np.uint64))
        tables = _POWER_TABLES = (powers, inverses)
    return tables


def run_hash_tables(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(prefix, inverse): the hash of the run [start, end) of `points` is
    `(prefix[end] - prefix[start]) * inverse[start]`, the same wherever the run sits.

    A prefix sum of c_j * R**j gives any run's polynomial hash; multiplying by R**-start
    (R is odd, so invertible modulo 2**64) aligns every run to the same exponent.
    """
    length = points.shape[0]
    powers, inverses = _power_tables(length)
    prefix = np.zeros(length + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        np.cumsum(points * powers[:length], out=prefix[1:])
    return prefix, inverses[: length + 1]


def _word_hashes(
    points: np.ndarray,
    is_sep: np.ndarray,
    doc: np.ndarray,
    columns_at: np.ndarray,
    valid: np.ndarray,
    column: int,
    bigrams: bool,
    shift: np.uint64,
) -> None:
    """Words are runs between spaces; each word's column is stored at its last character."""
    prefix, inverse = run_hash_tables(points)
    bounds = np.flatnonzero((points == _SPACE) | is_sep)
    starts, ends = bounds[:-1] + 1, bounds[1:]
    real = ends > starts
    starts, ends = starts[real], ends[real]
    # Multiplying by the remaining power aligns every word to the same exponent.
    word = (prefix[ends] - prefix[starts]) * inverse[starts]
    columns_at[ends - 1, column] = ((word ^ _WORD_SALT) * _M2) >> shift
    valid[ends - 1, column] = True
    if bigrams and len(starts) > 1:
        same_doc = doc[starts[:-1]] == doc[starts[1:]]
        pair = (prefix[ends[1:]] - prefix[starts[:-1]]) * inverse[starts[:-1]]
        at = ends[1:][same_doc] - 1
        columns_at[at, column + 1] = (((pair ^ _BIGRAM_SALT) * _M2) >> shift)[same_doc]
        valid[at, column + 1] = True


def group_copies(matrix: sp.csr_matrix, groups: np.ndarray, bits: int) -> sp.csr_matrix:
    """A copy of every feature keyed by the row's group (e.g. its language), in the same space.

    Fitted on `matrix + copies`, a model learns shared weights plus per-group corrections;
    rows of group 0 get no copy. At prediction the two parts' scores are simply added.
    """
    per_entry = np.repeat(groups.astype(np.uint64), np.diff(matrix.indptr))
    keep = np.flatnonzero(per_entry)
    with np.errstate(over="ignore"):
        salted = (
            matrix.indices[keep].astype(np.uint64) + per_entry[keep] * np.uint64(0x9E3779B1)
        ) * _M1
    copied = (salted >> np.uint64(64 - bits)).astype(np.int32)
    # Entries kept before each row's start: where the row starts among the copies.
    indptr = np.searchsorted(keep, matrix.indptr)
    return sp.csr_matrix((matrix.data[keep], copied, indptr), shape=(matrix.shape[0], 1 << bits))


def with_group_copies(matrix: sp.csr_matrix, groups: np.ndarray, bits: int) -> sp.csr_matrix:
    """The features plus their group copies, for training."""
    return sp.csr_matrix(matrix + group_copies(matrix, groups, bits))


def fold(matrix: sp.csr_matrix, bits: int) -> sp.csr_matrix:
    """The same features hashed into 2**bits columns (the top bits of each column id)."""
    shift = int(np.log2(matrix.shape[1])) - bits
    if shift <= 0:
        return matrix
    return sp.csr_matrix(
        (matrix.data, matrix.indices >> shift, matrix.indptr), shape=(matrix.shape[0], 1 << bits)
    )
