"""Intent, team, complaint and urgency on clear posts in several languages, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.errors import ConfigError
from rapport.nlp.intent import BANKING77_INTENTS, DEFAULT_TEAMS, INTENTS, TEAMS, load_team_map
from rapport.nlp.models import load_head
from rapport.nlp.urgency import SECURITY_INTENTS
from rapport.pipeline.build import enrichers
from rapport.pipeline.enrich import EnrichStage
from rapport.records import Batch, Enrichment, Envelope
from tests.conftest import make_post


def understand(*texts: str, team_map: Path | None = None) -> list[Enrichment]:
    stage = EnrichStage(enrichers(enrich=True, team_map=team_map))
    batch = Batch(
        source="t", items=tuple(Envelope(post=make_post(str(i), t)) for i, t in enumerate(texts))
    )
    found = [e.enrichment for e in stage.process(batch).items]
    assert all(e is not None for e in found)
    return [e for e in found if e is not None]


def test_the_intent_model_knows_all_77_banking_intents_verbatim() -> None:
    assert set(load_head("intent").classes) == set(BANKING77_INTENTS)
    assert len(BANKING77_INTENTS) == 77
    assert {"card_arrival", "lost_or_stolen_card", "Refund_not_showing_up"} <= set(INTENTS)
    assert set(DEFAULT_TEAMS) == set(INTENTS)
    assert set(DEFAULT_TEAMS.values()) == set(TEAMS)


@pytest.mark.parametrize(
    ("text", "intent", "team"),
    [
        ("I still haven't received my new card, when will it arrive?", "card_arrival", "cards"),
        ("I was charged twice for the same purchase", "transaction_charged_twice", "disputes"),
        ("My card got declined at the supermarket again", "declined_card_payment", "cards"),
        (
            "I forgot my passcode and can't get into my account",
            "passcode_forgotten",
            "account_access",
        ),
    ],
)
def test_banking_requests_get_their_banking77_intent_and_team(
    text: str, intent: str, team: str
) -> None:
    [found] = understand(text)
    assert found.intent is not None
    assert (found.intent.label, found.team) == (intent, team)


@pytest.mark.parametrize(
    ("text", "intent", "level"),
    [
        ("Me robaron la tarjeta en el metro, ¿qué hago?", "lost_or_stolen_card", "critical"),
        ("Meine Karte wurde gestohlen!", "lost_or_stolen_card", "critical"),
        ("有人盗刷我的卡，好几笔消费不是我的", "fraud_or_security", "critical"),
        ("L'application ne fonctionne pas depuis ce matin", "service_outage", "high"),
        ("Aplikasi tidak bisa dibuka dari tadi pagi", "service_outage", "high"),
        ("app ka login nahi ho raha, kya server down hai?", "service_outage", "high"),
        ("アプリにログインできない、障害ですか", "service_outage", "high"),
        ("yaar phir se card decline ho gaya DMart pe", "declined_card_payment", "high"),
        ("Mi tarjeta fue rechazada otra vez en el súper", "declined_card_payment", "high"),
        ("Obrigado pelo atendimento, vocês são incríveis!", "praise", "low"),
        ("Grazie mille, servizio fantastico!", "praise", "low"),
        ("Click here for free money, work from home! DM me for details", "spam", "low"),
        ("Скидка 20% на кэшбэк в этом месяце?", "offer_or_promotion", "low"),
    ],
)
def test_social_intents_and_urgency_in_many_languages(text: str, intent: str, level: str) -> None:
    [found] = understand(text)
    assert found.intent is not None
    assert found.urgency is not None
    assert (found.intent.label, found.urgency.level) == (intent, level)
    assert found.team == DEFAULT_TEAMS[intent]
    assert found.urgency.reasons


def test_fraud_is_critical_and_says_why() -> None:
    [found] = understand("Someone hacked my account and there are charges I didn't make!!")
    assert found.intent is not None
    assert found.urgency is not None
    assert found.intent.label in SECURITY_INTENTS
    assert found.team == "fraud_and_security"
    assert found.urgency.level == "critical"
    assert any("hacked" in reason for reason in found.urgency.reasons)


def test_an_angry_complaint_is_detected_with_a_probability() -> None:
    angry, calm = understand(
        "Worst customer service ever. Three weeks waiting for my refund and nobody answers. "
        "Unacceptable!",
        "What a lovely sunny day in the park with the kids",
    )
    assert angry.complaint is not None
    assert calm.complaint is not None
    assert angry.complaint.label == "complaint"
    assert calm.complaint.label == "not_complaint"
    assert angry.sentiment is not None
    assert angry.sentiment.label == "negative"
    assert angry.urgency is not None
    assert angry.urgency.level in ("high", "normal")


def test_a_team_map_file_overrides_the_defaults(tmp_path: Path) -> None:
    team_map = tmp_path / "teams.toml"
    team_map.write_text('[teams]\ncard_arrival = "logistics"\n', encoding="utf-8")
    [found] = understand(
        "I still haven't received my new card, when will it arrive?", team_map=team_map
    )
    assert found.team == "logistics"


def test_a_team_map_naming_an_unknown_intent_is_refused(tmp_path: Path) -> None:
    team_map = tmp_path / "teams.toml"
    team_map.write_text('[teams]\ncard_arival = "cards"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="card_arival"):
        load_team_map(team_map)
