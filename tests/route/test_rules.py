"""Workflow rules: order, every condition, actions, validation with clear errors, pickling."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from rapport.errors import ConfigError
from rapport.pipeline.build import analysis_stages
from rapport.pipeline.route import RouteStage
from rapport.pipeline.runner import Runner
from rapport.records import Author, Batch, Envelope
from rapport.route.rules import RuleSet
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


def route(rules: RuleSet, *texts: str, followers: int = 10) -> list[Envelope]:
    author = Author(source_id="a", handle="a", followers=followers)
    batch = Batch(
        source="t",
        items=tuple(
            Envelope(post=make_post(str(i), t, author=author)) for i, t in enumerate(texts)
        ),
    )
    stages = [*analysis_stages(enrich=True)[:-1], RouteStage(rules)]
    return list(Runner(stages).process(batch).items)


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
        RuleSet.load(path)
