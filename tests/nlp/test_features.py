"""The shared featuriser: tweet-aware, batch-safe, and robust to hostile text."""

from __future__ import annotations

import numpy as np

from rapport.nlp.extract import extract
from rapport.nlp.features import (
    DEFAULT_SPEC,
    featurise,
    fold,
    normalise_batch,
    with_group_copies,
)


def _columns(row: int, matrix: object) -> set[int]:
    return set(matrix[row].indices.tolist())  # type: ignore[index]


def test_each_text_gets_its_own_row_even_with_newlines_and_entities() -> None:
    texts = ["line one\nline two", "&#10; escaped newline", "", "x" * 10_000]
    matrix = featurise(texts)
    assert matrix.shape == (4, DEFAULT_SPEC.width)
    assert matrix[2].nnz == 0
    assert matrix[3].nnz > 0


def test_handles_links_and_elongations_do_not_change_the_features() -> None:
    a, b, c, d = featurise(
        [
            "soooo good @alice https://t.co/abc",
            "soo good @bob http://example.com/x?y=1",
            "SOOOOOOO GOOD @carol www.example.org",
            "so good",
        ]
    )
    assert set(a.indices) == set(b.indices) == set(c.indices)
    assert set(a.indices) != set(d.indices)


def test_a_batch_gives_the_same_rows_as_one_text_at_a_time() -> None:
    # A model trained on one batch must see the same features in any other batch.
    texts = [
        "Mi tarjeta fue robada",
        "🔥🔥 great app!!!",
        "昨日カードを盗まれた",
        "caf\udcff",
        "ok",
    ]
    batch = featurise(texts)
    for i, text in enumerate(texts):
        alone = featurise([text])
        assert (batch[i] != alone[0]).nnz == 0
        assert (featurise(["x y z", text])[1] != alone[0]).nnz == 0


def test_normalisation_keeps_one_line_per_text() -> None:
    assert normalise_batch(["A\nB", "@Bob http://x.y/z"]).split("\n") == ["a b", "@user http"]


def test_group_copies_add_features_only_for_known_groups() -> None:
    matrix = featurise(["hello world", "hello world"])
    copied = with_group_copies(matrix, np.array([0, 3]), DEFAULT_SPEC.bits)
    assert set(copied[0].indices) == set(matrix[0].indices)
    assert set(copied[1].indices) > set(matrix[1].indices)


def test_folding_keeps_rows_and_shrinks_columns() -> None:
    folded = fold(featurise(["hello world"]), 16)
    assert folded.shape == (1, 1 << 16)
    assert folded.indices.max() < 1 << 16


def test_cue_phrases_and_their_features_are_each_texts_own_in_a_batch() -> None:
    texts = [
        "my card was stolen?",
        "",
        "¿dónde está mi tarjeta? fue robada",
        "great app",
        "hacked\nstolen",
        "?",
    ]
    batch = extract(texts)
    assert {"lost_stolen", "question"} <= set(batch.signals[0])
    assert batch.signals[1] == {}
    assert batch.signals[3].keys() == {"positive"}
    for i, text in enumerate(texts):
        alone = extract([text])
        assert batch.signals[i] == alone.signals[0]
        assert (batch.features[i] != alone.features[0]).nnz == 0
        assert (extract(["x y z", text]).features[1] != alone.features[0]).nnz == 0


def test_links_become_http_and_whitespace_runs_one_space() -> None:
    cases = {
        "xhttp yo": "xhttp yo",  # not a word of its own
        "(http)": "(http)",
        "https://a.b/c www.x.y/http://z": "http http",
        "www.a.b https:// x": "http http:// x",
        "éhttp": "éhttp",
        "https:x": "http:x",
        "  lead and trail  ": " lead and trail ",
        "\u00a0nbsp\u2028 x\t\ty": " nbsp x y",
        "HTTP://X.COM/A": "http://x.com/a",  # only lower-case schemes are taken for links
        "see http://t.co/x,and more": "see http more",
    }
    assert normalise_batch(list(cases)).split("\n") == list(cases.values())
