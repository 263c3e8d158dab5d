"""Workflow conditions that depend on the clock, the queues and the author (business hours,
queue load, bots) and the actions beyond routing (assign, acknowledge, notify)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from rapport.care.desk import CaseDesk
from rapport.care.load import OpenCases
from rapport.errors import ConfigError
from rapport.pipeline.build import analysis_stages
from rapport.pipeline.persist import PersistStage
from rapport.pipeline.runner import Runner
from rapport.records import Author, Batch, Enrichment, Envelope, Label, Post
from rapport.records.desk import seen_by
from rapport.route.rules import RuleSet
from rapport.sla import SlaConfig
from rapport.store import Database, schema
from rapport.store.alerts import list_alerts
from rapport.store.cases import get_case
from tests.conftest import make_post

SLA = SlaConfig.parse(
    yaml.safe_load(
        """
calendars:
  london: {timezone: Europe/London, hours: {mon-fri: "09:00-17:30"}, holidays: [2026-12-25]}
policies:
  standard: {calendar: london, first_response: 4h}
teams: {default: standard}
"""
    )
)


def rules(text: str, load: Any = None) -> RuleSet:
    return RuleSet.parse(yaml.safe_load(text), calendars=SLA.calendars, load=load)


def decide(rule_set: RuleSet, post: Post, lang: str = "en") -> Any:
    enrichment = Enrichment(lang=lang, team="cards", intent=Label(label="card_arrival", score=1))
    return rule_set.decide(Envelope(post=post, enrichment=enrichment))[0]


HOURS = """
rules:
  - id: day
    when: {business_hours: london}
    then: {route: cards}
  - id: night
    when: {outside_business_hours: london}
    then: {route: overnight}
"""


@pytest.mark.parametrize(
    ("at", "queue"),
    [
        (datetime(2026, 11, 2, 9, 30, tzinfo=UTC), "cards"),  # Monday 09:30 in London
        (datetime(2026, 11, 2, 17, 45, tzinfo=UTC), "overnight"),  # Monday after closing
        (datetime(2026, 11, 7, 12, 0, tzinfo=UTC), "overnight"),  # Saturday
        (datetime(2026, 12, 25, 12, 0, tzinfo=UTC), "overnight"),  # a holiday
        (datetime(2026, 7, 6, 8, 30, tzinfo=UTC), "cards"),  # 09:30 British Summer Time
    ],
)
def test_business_hours_follow_the_calendar_zone_and_holidays(at: datetime, queue: str) -> None:
    assert decide(rules(HOURS), make_post("1", "hi", created_at=at)).queue == queue


class FakeLoad:
    """Open cases per queue, as the case desk would count them."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts

    def open_cases(self, queue: str) -> int:
        return self.counts.get(queue, 0)


def test_queue_load_sends_posts_to_overflow_while_a_queue_is_full() -> None:
    load = FakeLoad({"cards": 3})
    rule_set = rules(
        """
rules:
  - id: overflow
    when: {queue_load: {cards: ">=3"}}
    then: {route: overflow}
""",
        load,
    )
    assert decide(rule_set, make_post("1", "hi")).queue == "overflow"
    load.counts["cards"] = 2
    assert decide(rule_set, make_post("2", "hi")).queue == "cards"


def test_bot_like_authors_can_be_suppressed() -> None:
    rule_set = rules("rules:\n  - id: bots\n    when: {bot: true}\n    then: {suppress: true}\n")
    bot = Author(source_id="b", handle="promo48213377", followers=2, following=3000)
    busy = Author(
        source_id="c", handle="deals", post_count=90_000,
        created_at=datetime(2026, 10, 1, tzinfo=UTC),
    )  # fmt: skip
    person = Author(source_id="p", handle="maria_g", followers=300, following=200)
    assert decide(rule_set, make_post("1", "win!", author=bot)).suppressed
    assert decide(rule_set, make_post("2", "win!", author=busy)).suppressed
    assert not decide(rule_set, make_post("3", "hi", author=person)).suppressed


@pytest.mark.parametrize(
    ("when_then", "message"),
    [
        ("{when: {business_hours: paris}, then: {route: a}}", "calendar 'paris' is not defined"),
        ("{when: {queue_load: {cards: lots}}, then: {route: a}}", "queue_load 'cards'"),
        ("{then: {acknowledge: howdy}}", "acknowledge template 'howdy' is unknown"),
        ("{then: {assign: {skil: x}}}", "skil"),
    ],
)
def test_mistakes_in_new_conditions_and_actions_are_named(when_then: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        rules(f"rules:\n  - {{id: r1, {when_then[1:]}\n")


def test_assign_acknowledge_and_notify_reach_the_case(database: Database) -> None:
    rule_set = rules(
        """
rules:
  - id: theft
    when: {query: robad* OR stolen}
    then: {route: fraud_and_security, assign: {skill: fraud}, acknowledge: move_to_dm, notify: true}
"""
    )
    load = OpenCases()
    opened = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # make_post's time
    desk = CaseDesk(load=load, clock=lambda: opened, deliver_alerts=True)
    runner = Runner([*analysis_stages(enrich=True, rules=rule_set), PersistStage(database, desk)])
    author = Author(source_id="m", handle="mariag", display_name="María")
    post = make_post("1", "Me han robado la tarjeta y veo cargos que no hice", author=author)
    routed = seen_by(
        "default", runner.process(Batch(source="t", items=(Envelope(post=post),))).items[0]
    )
    assert routed.routing is not None
    assert routed.routing.skills == ("fraud", "lang:es")

    with database.reading() as conn:
        case_id = conn.execute(sa.select(schema.cases.c.id)).scalar_one()
        case = get_case(conn, case_id)
        alerts = list_alerts(conn, kind="rule")
    assert case.skills == ["fraud", "lang:es"]
    ack = next(e for e in case.events if e.kind == "auto_acknowledged")
    assert ack.detail["lang"] == "es"
    assert ack.detail["text"].startswith("¡Hola María")
    assert case.sla_state == "ok"  # an acknowledgement is not the first response
    assert len(alerts) == 1
    assert alerts[0].delivery == "pending"
    assert load.open_cases("fraud_and_security") == 1
