"""Workflow rules: order, every condition, actions, validation with clear errors, pickling."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import msgspec
import pytest

from rapport.demo.stream import generate_posts
from rapport.errors import ConfigError
from rapport.listen.matcher import PostView, matches
from rapport.listen.query import parse
from rapport.pipeline.build import analysis_stages
from rapport.pipeline.route import RouteStage
from rapport.pipeline.runner import Runner
from rapport.records import (
    Author,
    Batch,
    Enrichment,
    Envelope,
    Label,
    Post,
    Priority,
    Urgency,
)
from rapport.records.desk import Seen, seen_by
from rapport.route.rules import Rule, RuleSet, Then, When, _comparison
from tests.conftest import make_post

RULES = """
rules:
  - id: tag-vip
    when: {followers: ">=100000"}
    then: {tag: [vip]}
    continue: true
  - id: drop-spam
    when: {intent: [spam]}
    then: {suppress: true}
  - id: fraud-first
    when:
      query: fraud OR hacked OR "not me" OR stolen
      urgency: ">=high"
    then: {route: fraud_and_security, tag: [fraud], set_priority: 97, escalate: true}
  - id: spanish-desk
    when: {lang: [es], priority: ">=10"}
    then: {route: spanish_desk}
"""


def route(rules: RuleSet, *texts: str, followers: int = 10) -> list[Seen]:
    """The posts as the one tenant of a one-tenant install routed them."""
    author = Author(source_id="a", handle="a", followers=followers)
    batch = Batch(
        source="t",
        items=tuple(
            Envelope(post=make_post(str(i), t, author=author)) for i, t in enumerate(texts)
        ),
    )
    stages = [*analysis_stages(enrich=True)[:-1], RouteStage(rules)]
    return [seen_by("default", e) for e in Runner(stages).process(batch).items]


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    import yaml

    return RuleSet.parse(yaml.safe_load(RULES), source="test.yaml")


def test_rules_apply_in_order_and_the_first_that_matches_decides(rules: RuleSet) -> None:
    fraud, spanish, spam, other = route(
        rules,
        "Someone hacked my account, charges that were not me!!",
        "Me robaron la tarjeta ayer, ayuda",
        "Click here for free money, work from home! DM me",
        "I still haven't received my new card, when will it arrive?",
    )
    assert fraud.routing is not None
    assert fraud.priority is not None
    assert (fraud.routing.rule_id, fraud.routing.team) == ("fraud-first", "fraud_and_security")
    assert set(fraud.routing.tags) == {"fraud", "escalated"}
    assert fraud.priority.score == pytest.approx(97)
    assert fraud.priority.score == pytest.approx(
        sum(f.contribution for f in fraud.priority.factors), abs=0.05
    )
    # The fraud query is English words, so this Spanish post reaches the Spanish desk.
    assert spanish.routing is not None
    assert spanish.routing.rule_id == "spanish-desk"
    assert spam.routing is not None
    assert spam.routing.suppressed
    assert other.routing is not None
    assert (other.routing.rule_id, other.routing.team) == (None, "cards")


def test_a_continuing_rule_adds_its_tags_and_the_next_rule_decides(rules: RuleSet) -> None:
    [vip] = route(rules, "Hola, ¿cuándo llega mi tarjeta nueva?", followers=250_000)
    assert vip.routing is not None
    assert (vip.routing.rule_id, vip.routing.team, vip.routing.tags) == (
        "spanish-desk",
        "spanish_desk",
        ("vip",),
    )


def test_the_rule_set_travels_to_another_process(rules: RuleSet) -> None:
    copy = pickle.loads(pickle.dumps(rules))
    [envelope] = route(copy, "hacked account, fraud")
    assert envelope.routing is not None
    assert envelope.routing.rule_id == "fraud-first"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("rules:\n  - id: a\n    when: {colour: red}\n    then: {route: x}\n", "colour"),
        (
            "rules:\n  - id: a\n    when: {urgency: urgent}\n    then: {route: x}\n",
            "urgency 'urgent'",
        ),
        (
            "rules:\n  - id: a\n    when: {priority: lots}\n    then: {route: x}\n",
            "'lots' is not a comparison",
        ),
        ("rules:\n  - {id: a, then: {route: x}}\n  - {id: a, then: {route: y}}\n", "used twice"),
        (
            "rules:\n  - id: a\n    when: {query: 'card AND'}\n    then: {route: x}\n",
            "query 'a', line 1, column 9",
        ),
        ("rules:\n  - id: a\n    then: {route: [x]}\n", r"rules\[0\]\.then\.route"),
        ("rules: [\n", "cannot read"),
    ],
)
def test_bad_rules_are_refused_naming_the_rule_and_field(
    tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        RuleSet.from_file(path)


def test_rules_indexed_by_field_still_apply_in_the_order_written() -> None:
    # The first rule has no field conditions and the second the most specific ones: an
    # index that tried rules by how well their fields fit would try the second first.
    rules = RuleSet(
        [
            Rule(id="tag-all", when=When(), then=Then(tag=["seen"], set_priority=80), go_on=True),
            Rule(id="english-hot", when=When(priority=">=75"), then=Then(route="hot")),
            Rule(
                id="english", when=When(lang=["en"], sentiment=["negative"]), then=Then(route="en")
            ),
            Rule(id="rest", when=When(), then=Then(route="rest")),
        ]
    )
    english = Envelope(
        post=make_post("1", "my card is blocked", lang="en"),
        enrichment=Enrichment(lang="en", sentiment=Label(label="negative", score=0.9)),
        priority=Priority(score=10.0),
    )
    decision, adjustment = rules.decide(english)
    assert (decision.rule_id, decision.team, decision.tags) == ("english-hot", "hot", ("seen",))
    assert adjustment is not None
    assert adjustment.contribution == pytest.approx(70.0)


def test_a_remembered_plan_serves_only_posts_with_the_same_facts() -> None:
    rules = RuleSet(
        [
            Rule(id="spanish", when=When(lang=["es"]), then=Then(route="es")),
            Rule(id="spam", when=When(intent=["SPAM"]), then=Then(suppress=True)),
            Rule(id="urgent", when=When(urgency=">=high", network=["x"]), then=Then(route="now")),
            Rule(id="card", when=When(query="card* -thanks"), then=Then(route="cards")),
        ]
    )

    def envelope(lang: str, intent: str, level: str, text: str = "hi") -> Envelope:
        said = Enrichment(
            lang=lang, intent=Label(label=intent, score=1.0), urgency=Urgency(level=level)
        )
        return Envelope(post=make_post("1", text), enrichment=said)

    for _ in range(2):  # the second round is served from the remembered plans
        assert rules.decide(envelope("es", "spam", "high"))[0].rule_id == "spanish"
        assert rules.decide(envelope("en", "spam", "high"))[0].rule_id == "spam"
        assert rules.decide(envelope("en", "other", "critical"))[0].rule_id == "urgent"
        assert rules.decide(envelope("en", "other", "normal"))[0].rule_id is None
        assert rules.decide(envelope("en", "other", "normal", "Cards!"))[0].rule_id == "card"
        assert rules.decide(envelope("en", "other", "low", "cards, thanks"))[0].rule_id is None


def reference_decision(rules: list[Rule], envelope: Envelope) -> tuple[str | None, tuple[str, ...]]:
    """The documented semantics, written plainly: every rule in order, every condition."""
    view = PostView.of(envelope.post, envelope.enrichment)
    priority = envelope.priority.score if envelope.priority is not None else 0.0
    tags: list[str] = []
    levels = ("low", "normal", "high", "critical")

    def holds(when: When) -> bool:
        def compare(text: str, value: float) -> bool:
            op = text.rstrip("0123456789.")
            number = float(text[len(op) :])
            return {">=": value >= number, "<": value < number, "": value == number}[op]

        urgency = when.urgency
        return (
            (when.query is None or matches(parse(when.query), view))
            and (when.lang is None or view.lang in when.lang)
            and (when.intent is None or (view.intent or "") in [i.lower() for i in when.intent])
            and (when.team is None or view.team in when.team)
            and (when.sentiment is None or view.sentiment in when.sentiment)
            and (when.network is None or envelope.post.network in when.network)
            and (when.priority is None or compare(when.priority, priority))
            and (when.followers is None or compare(when.followers, view.followers))
            and (urgency is None or urgent(urgency, view.urgency))
        )

    def urgent(wanted: str, level: str | None) -> bool:
        if level is None:
            return False
        if wanted.startswith(">="):
            return levels.index(level) >= levels.index(wanted[2:])
        return level == wanted

    for rule in rules:
        if not holds(rule.when):
            continue
        tags += rule.then.tag
        if rule.then.set_priority is not None:
            priority = rule.then.set_priority
        if not rule.go_on:
            return rule.id, tuple(dict.fromkeys(tags))
    return None, tuple(dict.fromkeys(tags))


def test_indexed_rules_decide_what_trying_every_rule_in_order_decides() -> None:
    rng = random.Random(3)
    conditions = [
        lambda: When(lang=[rng.choice(["en", "es", "pt", "de"])]),
        lambda: When(intent=[rng.choice(["spam", "card_arrival", "Declined_Card_Payment"])]),
        lambda: When(sentiment=[rng.choice(["negative", "positive"])], lang=["en", "es"]),
        lambda: When(urgency=rng.choice([">=high", "critical", "normal", ">=low"])),
        lambda: When(priority=f"{rng.choice(['>=', '<'])}{rng.randint(10, 60)}"),
        lambda: When(followers=f">={rng.choice([100, 5000, 100000])}", network=["x"]),
        lambda: When(query=rng.choice(["card", "app OR login", "refund* -thanks"])),
        lambda: When(team=[rng.choice(["cards", "payments", "fraud_and_security"])]),
        lambda: When(),
    ]
    posts = [msgspec.convert(p, Post, strict=False) for p in generate_posts(300, seed=8)]
    stages = analysis_stages(enrich=True)[:3]  # normalise, enrich, score
    items = (
        Runner(stages)
        .process(Batch(source="t", items=tuple(Envelope(post=p) for p in posts)))
        .items
    )
    for _ in range(12):
        written = [
            Rule(
                id=f"r{i}",
                when=rng.choice(conditions)(),
                then=Then(
                    route=f"q{i}",
                    tag=[f"t{i}"],
                    set_priority=rng.choice([None, None, 20.0, 90.0]),
                ),
                go_on=rng.random() < 0.3,
            )
            for i in range(rng.randint(1, 15))
        ]
        rules = RuleSet(written)
        for envelope in items:
            decision, _ = rules.decide(envelope)
            assert (decision.rule_id, decision.tags) == reference_decision(written, envelope)


@pytest.mark.parametrize("text", [">=50", "<=50", ">50", "<50", "50", "==50.5", ">= -3"])
def test_the_per_post_comparison_answers_as_the_comparison_does(text: str) -> None:
    comparison = _comparison(text, "test")
    test = comparison.test()
    for value in (-4, -3, 0, 49.999, 50, 50.5, 51, 10**9):
        assert test(value) == comparison.holds(value), value
