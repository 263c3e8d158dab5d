"""Recommendations, pure: the built-in catalogue, matching on triggers and eligibility
(with why), catalogue validation, and a Thompson-sampling bandit that learns which item
customers take up."""

from __future__ import annotations

import os
import random
from dataclasses import replace
from pathlib import Path

import pytest

from rapport.care import recommend as rec
from rapport.errors import InputError
from rapport.nlp.intent import INTENTS

CATALOGUE = rec.load_catalogue()
BY_ID = {item.id: item for item in CATALOGUE}


def item(item_id: str, keywords: tuple[str, ...] = ("x",)) -> rec.Item:
    return rec.Item(item_id, "feature", item_id.title(), {"en": f"Try {item_id}"},
                    keywords=keywords)  # fmt: skip


def test_the_built_in_catalogue_has_features_benefits_and_offers_in_english_and_spanish() -> None:
    assert len(CATALOGUE) >= 15
    assert {i.kind for i in CATALOGUE} == {"feature", "benefit", "offer"}
    for entry in CATALOGUE:
        assert {"en", "es"} <= set(entry.pitch), entry.id
        assert entry.intents <= set(INTENTS), entry.id
        assert entry.intents or entry.keywords, entry.id
    assert BY_ID["card_freeze"].pitch_for("fr") == ("en", BY_ID["card_freeze"].pitch["en"])
    assert BY_ID["card_freeze"].pitch_for("es")[0] == "es"
    assert BY_ID["card_freeze"].pitch_for(None)[0] == "en"


def test_intent_and_keywords_fire_and_say_why() -> None:
    facts = rec.Facts(intent="transaction_charged_twice", lang="es", sentiment="negative",
                      text="Me cobraron dos veces, quiero un REEMBOLSO")  # fmt: skip
    found = rec.fitting(CATALOGUE, facts)
    assert [m.item.id for m in found][:3] == [
        "dispute_tracker",
        "spending_alerts",
        "fee_goodwill_refund",
    ]
    best = found[0]
    assert best.why == (
        "intent transaction_charged_twice",
        "keyword 'reembolso', 'cobraron dos veces'",
    )
    assert best.strength == pytest.approx(2.0)
    goodwill = found[2]
    assert goodwill.why == ("keyword 'me cobraron'", "sentiment negative")
    assert rec.fitting(CATALOGUE, rec.Facts(text="hello there", intent="other")) == []


def test_keywords_match_whole_words_only() -> None:
    pin = item("pin", keywords=("pin",))
    assert rec.match(pin, rec.Facts(text="my PIN is blocked")) is not None
    assert rec.match(pin, rec.Facts(text="the app keeps spinning")) is None
    assert rec.match(item("t", keywords=("top up",)), rec.Facts(text="can't top up!")) is not None


def test_eligibility_on_customer_facts_and_language() -> None:
    creator = BY_ID["creator_referral"]
    fan = rec.Facts(intent="praise", text="I love this card", lang="en", followers=25_000,
                    verified=True, sentiment="positive")  # fmt: skip
    fitted = rec.match(creator, fan)
    assert fitted is not None
    assert fitted.why == ("intent praise", "keyword 'love'", "25000 followers (at least 10000)",
                          "verified account", "sentiment positive")  # fmt: skip
    for facts in (replace(fan, followers=9_999), replace(fan, verified=False),
                  replace(fan, sentiment="neutral"), replace(fan, sentiment=None)):  # fmt: skip
        assert rec.match(creator, facts) is None, facts
    cashback = BY_ID["cashback_es"]
    spanish = rec.Facts(text="¿Hay algún descuento en el supermercado?", lang="es")
    assert rec.match(cashback, spanish) is not None
    assert rec.match(cashback, rec.Facts(text=spanish.text, lang="en")) is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("items: []", "non-empty list"),
        ("items: [{id: a, title: A, pitch: {es: x}, triggers: {keywords: [x]}}]", "at least `en`"),
        ("items: [{id: a, title: A, pitch: {en: x}, triggers: {intents: [zz]}}]", "unknown intent"),
        ("items: [{id: a, title: A, pitch: {en: x}}]", "at least one intent or keyword"),
        ("items: [{id: A!, title: A, pitch: {en: x}, triggers: {keywords: [x]}}]", "a-z, 0-9"),
        ("items: [{id: a, title: A, pitch: {en: x}, triggers: {keywords: [x]}, colour: red}]",
         "unknown key"),
        ("items: [{id: a, title: A, pitch: {en: x}, triggers: {keywords: [x]},"
         " eligibility: {sentiment: [angry]}}]", "sentiment must be"),
        ("items: [{id: a, title: A, pitch: {en: x}, triggers: {keywords: [x]},"
         " eligibility: {min_followers: -1}}]", "min_followers"),
        ("items:\n- {id: a, title: A, pitch: {en: x}, triggers: {keywords: [x]}}\n"
         "- {id: a, title: B, pitch: {en: y}, triggers: {keywords: [y]}}", "duplicate item id"),
        ("items: [", "not valid YAML"),
    ],
)  # fmt: skip
def test_a_bad_catalogue_says_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        rec.parse_catalogue(text)


def test_a_catalogue_file_replaces_the_built_in_and_is_reread_when_changed(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_text("items: [{id: one, title: One, pitch: {en: x}, triggers: {keywords: [x]}}]")
    assert [i.id for i in rec.load_catalogue(path)] == ["one"]
    path.write_text("items: [{id: two, title: Two, pitch: {en: y}, triggers: {keywords: [y]}}]")
    os.utime(path, ns=(1, 2_000_000_000))
    assert [i.id for i in rec.load_catalogue(str(path))] == ["two"]
    with pytest.raises(InputError, match="cannot read"):
        rec.load_catalogue(tmp_path / "missing.yaml")


def test_without_events_the_order_is_match_strength() -> None:
    matches = [rec.Match(item("b"), 1.0, ()), rec.Match(item("a"), 2.0, ()),
               rec.Match(item("c"), 1.0, ()), rec.Match(item("d"), 0.5, ())]  # fmt: skip
    ranked = rec.rank(matches, {}, random.Random(1))
    assert [(r.match.item.id, r.score) for r in ranked] == [("a", 2.0), ("b", 1.0), ("c", 1.0)]
    again = rec.rank(matches, {"zzz": rec.ItemStats(shown=5)}, random.Random(2))
    assert [r.match.item.id for r in again] == ["a", "b", "c"]


def test_the_same_seed_gives_the_same_ranking() -> None:
    matches = [rec.Match(item(n), 1.0, ()) for n in "abcde"]
    stats = {n: rec.ItemStats(shown=10, taken_up=3) for n in "abcde"}
    first = rec.rank(matches, stats, random.Random(7))
    assert first == rec.rank(matches, stats, random.Random(7))
    assert len(first) == rec.TOP
    assert all(0 < r.score <= 1 for r in first)


def test_the_bandit_learns_to_prefer_the_item_customers_take_up() -> None:
    """Three items fit equally (the weakest a bit better on strength); customers take up
    `b` 40% of the time when it is shown first, the others 5%. After 400 simulated cases
    `b` leads nearly always and was shown first most of the time."""
    take_up = {"a": 0.05, "b": 0.40, "c": 0.05}
    matches = [rec.Match(item("a"), 1.2, ()), rec.Match(item("b"), 1.0, ()),
               rec.Match(item("c"), 1.0, ())]  # fmt: skip
    counts = {n: [0, 0] for n in take_up}  # shown first, taken up
    world, rng = random.Random(11), random.Random(12)
    firsts = []
    for _ in range(400):
        stats = {n: rec.ItemStats(shown=s, taken_up=t) for n, (s, t) in counts.items()}
        first = rec.rank(matches, stats, rng, top=1)[0].match.item.id
        firsts.append(first)
        counts[first][0] += 1
        counts[first][1] += world.random() < take_up[first]
    assert firsts[0] == "a"  # no events yet: match strength decides
    assert counts["b"][0] > 300
    assert firsts[-100:].count("b") >= 90
    stats = {n: rec.ItemStats(shown=s, taken_up=t) for n, (s, t) in counts.items()}
    leads = [rec.rank(matches, stats, random.Random(seed))[0].match.item.id for seed in range(200)]
    assert leads.count("b") >= 190
