"""The conformance test every enricher passes, and the language enricher's own cases."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from rapport.nlp.language import SOCIAL_LANGUAGES
from rapport.pipeline.build import enrichers
from rapport.pipeline.enrich import BatchContext, Enricher, EnrichStage
from rapport.pipeline.enrichers import LanguageEnricher
from rapport.records import Batch, Enrichment, Envelope
from tests.conftest import make_post

AWKWARD_TEXTS = [
    "",
    "🔥🔥🔥",
    "@NovaCardHelp #fail https://t.co/x",
    "x" * 10_000,
    "caf\udcff broken surrogate",
    "Mi tarjeta fue robada",
    "بطاقتي سرقت",
]


ALL = enrichers(enrich=True, classifiers_dir=Path("no-such-folder"))


def _context_after(enricher: Enricher, texts: list[str]) -> BatchContext:
    """A context holding what every enricher before `enricher` found, as the stage runs it."""
    context = BatchContext([make_post(str(i), text) for i, text in enumerate(texts)])
    for earlier in ALL[: ALL.index(enricher)]:
        for target, part in zip(context.found, earlier.enrich(context), strict=True):
            target.update(part)
    return context


@pytest.mark.parametrize("enricher", ALL, ids=lambda e: e.name)
def test_enricher_conformance(enricher: Enricher) -> None:
    found = enricher.enrich(_context_after(enricher, AWKWARD_TEXTS))

    assert len(found) == len(AWKWARD_TEXTS)
    for fields in found:
        assert set(fields) <= set(enricher.fields)
        assert set(enricher.fields) <= set(Enrichment.__struct_fields__)
        Enrichment(**fields)  # every value has the type the record declares
    assert enricher.enrich(_context_after(enricher, [])) == []
    # Copies go to the ingest helper process: they must pickle and give the same answers.
    copy = pickle.loads(pickle.dumps(enricher))
    assert copy.enrich(_context_after(enricher, AWKWARD_TEXTS)) == found


def test_every_enricher_runs_after_the_ones_it_needs() -> None:
    seen: set[str] = set()
    for enricher in ALL:
        assert set(enricher.needs) <= seen
        seen |= set(enricher.fields)


def test_the_language_enricher_ignores_mentions_links_and_hashtags() -> None:
    # Clear cases in every language are in tests/nlp/test_models.py.
    text = "@NovaCardHelp #ajuda https://t.co/abc meu cartão foi roubado ontem"
    [found] = LanguageEnricher().run([make_post("1", text)])
    assert found["lang"] == "pt"
    assert 0.0 < found["lang_score"] <= 1.0


def test_too_little_text_is_und_unless_the_network_declared_a_language() -> None:
    found = LanguageEnricher().run(
        [make_post("1", "👍 @bob"), make_post("2", "👍 @bob", lang="it")]
    )
    assert found == [{"lang": "und", "lang_score": 0.0}, {"lang": "it", "lang_score": 0.0}]


def test_enrich_stage_attaches_one_enrichment_per_post() -> None:
    batch = Batch(source="t", items=(Envelope(post=make_post("1", "Ich liebe diese Karte sehr")),))
    [envelope] = EnrichStage([LanguageEnricher()]).process(batch).items
    assert envelope.enrichment is not None
    assert envelope.enrichment.lang == "de"


def test_only_languages_people_post_in_are_chosen() -> None:
    # The unrestricted model calls these Javanese, Breton, Nigerian Pidgin, Somali, Occitan.
    texts = [
        "@siti_wibowo samaaa @NovaCardHelp tolong dicek",
        "bom saber, valeu!",
        "@NovaCardHelp mere account se Zomato pe Rs 3,200 kat gaye jo maine kiye hi nahi",
        "Zepto pe ₹1,500 do baar kat gaye. @NovaCardHelp refund kab aayega?",
        "@lucas_wilson congrats lol",
    ]
    found = LanguageEnricher().run([make_post(str(i), t) for i, t in enumerate(texts)])
    assert {f["lang"] for f in found} <= {*SOCIAL_LANGUAGES, "und"}
