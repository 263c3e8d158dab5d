"""The conformance test every enricher passes, and the language enricher's own cases."""

from __future__ import annotations

import pytest

from rapport.nlp.language import SOCIAL_LANGUAGES
from rapport.pipeline.build import enrichers
from rapport.pipeline.enrich import Enricher, EnrichStage, LanguageEnricher
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


@pytest.mark.parametrize("enricher", enrichers(detect_language=True), ids=lambda e: e.name)
def test_enricher_conformance(enricher: Enricher) -> None:
    posts = [make_post(str(i), text) for i, text in enumerate(AWKWARD_TEXTS)]
    found = enricher.enrich(posts)

    assert len(found) == len(posts)
    for fields in found:
        assert set(fields) <= set(enricher.fields)
        assert set(enricher.fields) <= set(Enrichment.__struct_fields__)
        Enrichment(**fields)  # every value has the type the record declares
    assert enricher.enrich([]) == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("My card was stolen yesterday and the app will not let me freeze it", "en"),
        ("Me robaron la tarjeta ayer y la aplicación no me deja bloquearla", "es"),
        ("Meine Karte wurde gestern gestohlen und die App lässt mich sie nicht sperren", "de"),
        ("On m'a volé ma carte hier et l'application ne me laisse pas la bloquer", "fr"),
        ("Мою карту вчера украли, и приложение не даёт её заблокировать", "ru"),
        ("昨日カードを盗まれて、アプリで止められません", "ja"),
        ("@NovaCardHelp #ajuda https://t.co/abc meu cartão foi roubado ontem", "pt"),
    ],
)
def test_language_is_detected_ignoring_mentions_links_and_hashtags(text: str, lang: str) -> None:
    [found] = LanguageEnricher().enrich([make_post("1", text)])
    assert found["lang"] == lang
    assert 0.0 < found["lang_score"] <= 1.0


def test_too_little_text_is_und_unless_the_network_declared_a_language() -> None:
    found = LanguageEnricher().enrich(
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
    found = LanguageEnricher().enrich([make_post(str(i), t) for i, t in enumerate(texts)])
    assert {f["lang"] for f in found} <= {*SOCIAL_LANGUAGES, "und"}
