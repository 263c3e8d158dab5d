"""The batch classifier gives py3langid's own answers, whatever the text."""

from __future__ import annotations

import copy

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from rapport.demo.stream import generate_posts
from rapport.nlp.langid_batch import WALK_MAX_BYTES, BatchLangid

EDGE_CASES = [
    "",
    "!!!",
    "😀😀😀",
    "THE CARD IS BLOCKED AGAIN",
    "ça marche enfin, merci à l'équipe",
    "broken \ud800 surrogate",
    "a" * (WALK_MAX_BYTES + 10),
    "é" * (WALK_MAX_BYTES // 2 + 1),
    "x",
]


@pytest.fixture(scope="module")
def full_model() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@pytest.mark.parametrize(
    "languages", [None, ("en", "es", "pt", "fr", "de", "it", "id"), ("da", "no", "sv")]
)
def test_batch_answers_are_py3langids_answers(
    full_model: LanguageIdentifier, languages: tuple[str, ...] | None
) -> None:
    identifier = copy.copy(full_model)
    identifier.set_languages(languages)
    texts = [post["text"] for post in generate_posts(400, seed=11)] + EDGE_CASES
    batch = BatchLangid(identifier).classify(texts)
    for text, (code, probability) in zip(texts, batch, strict=True):
        expected_code, expected_probability = identifier.classify(text)
        # Only the order of summation differs, so only the last float digits may.
        assert code == expected_code, text
        assert probability == pytest.approx(expected_probability, abs=1e-4), text


def test_an_empty_batch_and_batches_of_one(full_model: LanguageIdentifier) -> None:
    batcher = BatchLangid(full_model)
    assert batcher.classify([]) == []
    assert batcher.classify(["the card arrived today, thank you"])[0][0] == "en"
    assert batcher.classify(["la tarjeta llegó hoy, gracias"])[0][0] == "es"
