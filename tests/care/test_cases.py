"""Routed posts become cases: a customer's thread stays one case, copies fold, replays change
nothing, the brand's reply stops the clock, a resolved case reopens when the customer
writes again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from rapport.actions.cases import record_agent_event
from rapport.care.desk import CaseDesk, CasePolicy
from rapport.care.sla_book import SlaBook
from rapport.pipeline.build import analysis_stages
from rapport.pipeline.persist import PersistStage
from rapport.pipeline.runner import Runner
from rapport.records import Author, Batch, Envelope, Post
from rapport.route.rules import RuleSet
from rapport.store import Database, schema
from rapport.store.cases import get_case, queue
from rapport.store.rows import as_utc
from tests.conftest import make_post

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
RULES = """
rules:
  - id: cards
    when: {query: 'card OR charged OR stolen'}
    then: {route: cards}
"""


def person(handle: str, followers: int = 100) -> Author:
    return Author(source_id=f"id-{handle}", handle=handle, followers=followers)


def runner_for(database: Database, now: datetime = T0 + timedelta(minutes=5)) -> Runner:
    rules = RuleSet.parse(yaml.safe_load(RULES))
    desk = CaseDesk(CasePolicy(own_handles=frozenset({"novacardhelp"})), clock=lambda: now)
    return Runner([*analysis_stages(enrich=True, rules=rules), PersistStage(database, desk)])


def send(runner: Runner, *posts: Post) -> Batch:
    return runner.process(Batch(source="t", items=tuple(Envelope(post=p) for p in posts)))


def cases(database: Database) -> list[dict[str, Any]]:
    with database.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(schema.cases).order_by("id"))]


def test_a_customers_thread_stays_one_case(database: Database) -> None:
    runner = runner_for(database)
    alice = person("alice")
    send(runner, make_post("1", "my card was charged twice, please help", author=alice))
    send(
        runner,
        make_post("2", "@NovaCardHelp still charged twice on my card", author=alice,
                  reply_to_id="1", conversation_id="1", created_at=T0 + timedelta(minutes=2)),
    )  # fmt: skip
    found = cases(database)
    assert len(found) == 1
    assert found[0]["post_count"] == 2
    assert found[0]["team"] == "cards"
    assert found[0]["customer_handle"] == "alice"


def test_near_duplicates_and_reposts_fold_into_the_original(database: Database) -> None:
    runner = runner_for(database)
    text = "my card was stolen and someone charged 500 euros, nobody answers"
    send(runner, make_post("1", f"@NovaCardHelp {text} https://t.co/a", author=person("bo")))
    send(
        runner,
        make_post("2", f"{text.upper()}!!! @NovaCard", author=person("cy")),
        make_post("3", f"{text} 123", author=person("di"), created_at=T0 + timedelta(minutes=1)),
        make_post("4", "RT " + text, author=person("ed"), repost_of_id="1"),
    )
    found = cases(database)
    assert len(found) == 1
    assert found[0]["duplicate_count"] == 3
    assert found[0]["post_count"] == 1
    with database.reading() as conn:
        roles = sorted(p.role for p in get_case(conn, found[0]["id"]).posts)
    assert roles == ["duplicate", "duplicate", "message", "repost"]


def test_different_messages_open_different_cases(database: Database) -> None:
    runner = runner_for(database)
    send(
        runner,
        make_post("1", "my card was stolen yesterday evening in Madrid", author=person("bo")),
        make_post("2", "charged twice for one coffee on my card, again", author=person("cy")),
    )
    assert len(cases(database)) == 2


def test_a_replayed_batch_changes_no_case(database: Database) -> None:
    runner = runner_for(database)
    posts = [
        make_post("1", "my card was stolen, block it now please", author=person("bo")),
        make_post("2", "my card was stolen, block it now please", author=person("cy")),
    ]
    send(runner, *posts)
    before = cases(database)
    send(runner, *posts)
    assert cases(database) == before


def test_the_brands_reply_stops_the_first_response_clock(database: Database) -> None:
    runner = runner_for(database)
    send(runner, make_post("1", "my card was charged twice, please help", author=person("bo")))
    opened = cases(database)[0]
    assert opened["next_due"] is not None
    brand = Author(source_id="brand", handle="NovaCardHelp", followers=100_000)
    send(runner, make_post("2", "@bo sorry! DM us", author=brand, reply_to_id="1",
                           conversation_id="1", created_at=T0 + timedelta(minutes=3)))  # fmt: skip
    after = cases(database)
    assert len(after) == 1  # the brand's own post opened nothing
    # Answered: the first-response deadline is gone; only the resolution clock still runs.
    policy = SlaBook.default().policy(after[0]["sla_policy"])
    assert policy.first_response is not None
    assert policy.resolution is not None
    assert as_utc(opened["next_due"]) == T0 + policy.first_response
    assert as_utc(after[0]["next_due"]) == T0 + policy.resolution
    with database.reading() as conn:
        kinds = [e.kind for e in get_case(conn, after[0]["id"]).events]
    assert kinds == ["opened", "agent_reply"]


def test_a_resolved_case_reopens_when_the_customer_writes_again(database: Database) -> None:
    runner = runner_for(database, now=T0 + timedelta(hours=2))
    send(runner, make_post("1", "my card was charged twice, please help", author=person("bo")))
    case_id = cases(database)[0]["id"]
    desk = CaseDesk()
    database.write(
        lambda conn: record_agent_event(
            conn, desk.sla, case_id, "resolved", at=T0 + timedelta(hours=1)
        )
    )
    assert cases(database)[0]["status"] == "resolved"
    send(runner, make_post("2", "it happened again on my card", author=person("bo"),
                           reply_to_id="1", conversation_id="1",
                           created_at=T0 + timedelta(hours=2)))  # fmt: skip
    reopened = cases(database)
    assert len(reopened) == 1
    assert reopened[0]["status"] == "open"
    assert reopened[0]["post_count"] == 2


def test_the_queue_puts_the_highest_priority_first_with_its_reasons(database: Database) -> None:
    runner = runner_for(database)
    send(
        runner,
        make_post("1", "is my card arriving this week?", author=person("bo")),
        make_post("2", "STOLEN card, fraud, someone charged 900 euros, awful", author=person("cy")),
    )
    with database.reading() as conn:
        top = queue(conn, "cards")
    assert next(c.customer_handle for c in top) == "cy"
    assert top[0].priority >= top[-1].priority
    points = sum(r.points for r in top[0].reasons)
    assert points == pytest.approx(top[0].priority, abs=0.05)
