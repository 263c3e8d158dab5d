"""The English sentiment head's own features: tokens, negation marking, per-block TF-IDF."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from rapport.nlp.english import (
    EnglishHead,
    _tokens,
    english_counts,
    negation_marks,
    tfidf,
)
from rapport.nlp.features import _code_points, normalise_batch
from rapport.nlp.models import load_english_sentiment
from rapport.nlp.sentiment import SentimentModel

BITS = 12


def marked_tokens(texts: list[str]) -> list[list[str]]:
    """Each text's tokens, with NEG_ before the negated ones."""
    points = _code_points(normalise_batch(texts))
    hashes, docs, starts, ends = _tokens(points)
    marks = negation_marks(hashes, docs, points, starts, ends)
    found: list[list[str]] = [[] for _ in texts]
    for doc, start, end, mark in zip(docs, starts, ends, marks, strict=True):
        word = "".join(chr(c) for c in points[start:end])
        found[doc].append("NEG_" + word if mark else word)
    return found


def test_negation_marks_the_words_after_a_negator_until_punctuation() -> None:
    [first, second, third] = marked_tokens(
        ["I don't like this app, at all!!", "not good. good", "Never again @Bank http://x.y"]
    )
    assert first == ["i", "don't", "NEG_like", "NEG_this", "NEG_app", ",", "at", "all", "!"]
    assert second == ["not", "NEG_good", ".", "good"]
    assert third == ["never", "NEG_again", "@user", "http"]


def test_negation_stops_at_the_end_of_a_text() -> None:
    [first, second] = marked_tokens(["this is not", "great service"])
    assert first == ["this", "is", "not"]
    assert second == ["great", "service"]


def test_curly_apostrophes_and_emoji_are_tokens_too() -> None:
    [tokens] = marked_tokens(["can’t wait 😡😡 for it"])
    assert tokens == ["can’t", "NEG_wait", "NEG_😡", "NEG_for", "NEG_it"]


def test_negated_words_are_different_features() -> None:
    counts = english_counts(normalise_batch(["good", "not good"]), 2, BITS)
    word_block = 1 << BITS
    good = {c for c in counts[0].indices.tolist() if c >= word_block}
    negated = {c for c in counts[1].indices.tolist() if c >= word_block}
    assert good
    assert not good <= negated


def test_each_text_gets_its_own_row_whatever_it_holds() -> None:
    texts = ["", "🔥🔥🔥😡", "x" * 10_000, "caf\udcff broken \x00 surrogate", "line\nbreak", "ok"]
    counts = english_counts(normalise_batch(texts), len(texts), BITS)
    assert counts.shape == (len(texts), 2 << BITS)
    assert counts[0].nnz == 0
    assert all(counts[i].nnz > 0 for i in range(1, len(texts)))
    assert counts.has_canonical_format
    assert english_counts("", 0, BITS).shape == (0, 2 << BITS)


def test_repeated_ngrams_are_counted_once_per_column() -> None:
    counts = english_counts(normalise_batch(["bad bad bad"]), 1, BITS)
    assert counts.data.max() == 3.0  # the word "bad" three times, one entry


def kept_counts(texts: list[str]) -> tuple[sp.csr_matrix, np.ndarray]:
    """The texts' counts over the columns they use (sorted), and those columns."""
    counts = english_counts(normalise_batch(texts), len(texts), BITS)
    columns = np.unique(counts.indices)
    return sp.csr_matrix(counts[:, columns]), columns


def test_each_block_is_normalised_on_its_own_and_weighted() -> None:
    texts = ["what a great day, thanks!", "terrible", "no"]
    counts, columns = kept_counts(texts)
    idf = np.linspace(1.0, 3.0, len(columns)).astype(np.float32)
    first_word = int(np.searchsorted(columns, 1 << BITS))
    matrix = tfidf(counts, idf, first_word, np.array([0.5, 1.0], dtype=np.float32))
    for row in range(len(texts)):
        values = matrix[row].toarray().ravel()
        assert np.linalg.norm(values[:first_word]) == pytest.approx(0.5, rel=1e-5)
        assert np.linalg.norm(values[first_word:]) == pytest.approx(1.0, rel=1e-5)


def test_sublinear_tf_and_idf_shape_the_values() -> None:
    counts, columns = kept_counts(["bad bad bad"])
    first_word = int(np.searchsorted(columns, 1 << BITS))
    idf = np.ones(len(columns), dtype=np.float32)
    idf[first_word] = 2.0
    matrix = tfidf(counts, idf, first_word, np.ones(2, dtype=np.float32))
    words = matrix[0].toarray().ravel()[first_word:]
    raw = counts[0].toarray().ravel()[first_word:]
    expected = (1 + np.log(raw)) * idf[first_word:]
    assert words == pytest.approx(expected / np.linalg.norm(expected), rel=1e-5)
    assert sorted(raw.tolist()) == [1.0, 2.0, 3.0]  # "bad bad bad", "bad bad", "bad"


def test_a_head_saves_and_loads_the_same(tmp_path: Path) -> None:
    head = load_english_sentiment()
    path = tmp_path / "sentiment_en.npz"
    head.save(path)
    again = EnglishHead.load(path)
    text = normalise_batch(["the worst service ever", "thank you so much!"])
    assert np.allclose(head.probabilities(text, 2), again.probabilities(text, 2), atol=1e-4)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I love this card, the support team was amazing and so quick!", "positive"),
        ("Worst bank ever. Charged twice and nobody answers. Furious.", "negative"),
        ("Thank you so much for sorting this out, you guys are the best", "positive"),
        ("The app keeps crashing and I can't log in, this is ridiculous", "negative"),
        ("I'm not happy with the service at all", "negative"),
        ("Branch opening hours change on Monday, details on the website", "neutral"),
    ],
)
def test_the_english_head_on_clear_posts(text: str, label: str) -> None:
    [found] = SentimentModel().predict([text], ["en"])
    assert found.label == label
    assert 1 / 3 < found.score <= 1.0


def test_english_and_other_posts_share_one_batch() -> None:
    texts = ["I love it, thanks!", "Servicio pésimo, nadie responde", "Worst app ever", ""]
    langs = ["en", "es", "en", "und"]
    labels = [s.label for s in SentimentModel().predict(texts, langs)]
    assert labels[:3] == ["positive", "negative", "negative"]
    assert len(labels) == 4
