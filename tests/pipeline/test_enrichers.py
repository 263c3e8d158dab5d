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
        context.record(earlier.enrich(context), earlier.fields)
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


def test_a_batch_split_over_threads_is_enriched_as_it_is_whole() -> None:
    from rapport.demo.stream import generate_posts

    texts = [raw["text"] for raw in generate_posts(700, seed=5)]
    batch = Batch(
        source="t", items=tuple(Envelope(post=make_post(str(i), t)) for i, t in enumerate(texts))
    )
    whole = EnrichStage(ALL).process(batch)
    threaded = EnrichStage(ALL, threads=2)
    try:
        threaded.process(batch)  # the first batch loads the models, unsplit
        split = threaded.process(batch)
        assert threaded._pool is not None  # the second one was split
    finally:
        threaded.close()
    assert [e.enrichment for e in split.items] == [e.enrichment for e in whole.items]
    assert [e.post.source_id for e in split.items] == [e.post.source_id for e in batch.items]
    copy = pickle.loads(pickle.dumps(threaded))
    assert copy.threads == 2
    assert copy._pool is None


def test_a_field_is_read_anew_once_an_enricher_writes_it() -> None:
    context = BatchContext([make_post("1", "hola"), make_post("2", "hello")])
    assert context.field("lang") == [None, None]
    assert context.field("lang", "und") == ["und", "und"]
    context.record([{"lang": "es"}, {"lang": "en"}], ("lang",))
    assert context.field("lang") == ["es", "en"]
    assert context.field("lang", "und") == ["es", "en"]


def test_fewer_than_one_enrich_thread_is_refused_by_name() -> None:
    from rapport.errors import ConfigError

    with pytest.raises(ConfigError, match="enrich threads must be at least 1, got 0"):
        EnrichStage(ALL, threads=0)
