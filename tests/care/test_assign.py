"""Assignment matches language and skills and spreads by load, taking turns; the live-update
hub reaches only the right tenant, drops the oldest for a slow reader, and hears the cases
that ingest opens."""

from __future__ import annotations

import asyncio
from typing import Any

import yaml

from rapport.care.assign import Agent, Work, matches, pick_next, plan
from rapport.care.desk import CaseDesk
from rapport.care.hub import Hub, Subscription
from rapport.pipeline.build import analysis_stages
from rapport.pipeline.persist import PersistStage
from rapport.pipeline.runner import Runner
from rapport.records import Author, Batch, Envelope
from rapport.route.rules import RuleSet
from rapport.store import Database
from tests.conftest import make_post


def agent(agent_id: int, *, langs: tuple[str, ...] = (), skills: tuple[str, ...] = (),
          capacity: int = 5, load: int = 0) -> Agent:  # fmt: skip
    return Agent(agent_id, f"a{agent_id}", frozenset(langs), frozenset(skills), capacity, load)


def test_a_case_needs_my_language_and_every_skill_it_lists() -> None:
    spanish_fraud = Work(1, "es-MX", ("fraud", "lang:es"))
    assert matches(["es", "en"], ["fraud"], spanish_fraud)
    assert not matches(["en"], ["fraud"], spanish_fraud)  # the case is in Spanish
    assert not matches(["ES"], [], spanish_fraud)  # no fraud skill
    assert matches([], ["Fraud"], spanish_fraud)  # no languages listed: speaks all
    assert matches(["en"], [], Work(2, None, ()))  # an undetected language binds nobody
    assert not matches(["en"], [], Work(3, "en", ("lang:de",)))


def test_the_next_case_is_the_first_in_order_that_i_can_answer() -> None:
    ordered = [Work(1, "de", ()), Work(2, "en", ("fraud",)), Work(3, "en", ()), Work(4, "es", ())]
    found = pick_next(ordered, ["en", "es"], [])
    assert found is not None
    assert found.id == 3
    assert pick_next(ordered[:2], ["en"], []) is None


def test_the_least_loaded_agent_gets_the_case_and_capacity_is_a_ceiling() -> None:
    work = [Work(i, "en", ()) for i in range(1, 6)]
    result = plan(work, [agent(1, load=3, capacity=4), agent(2, load=1), agent(3, capacity=1)])
    # 1 -> agent 3 (0 open), now full; 2 and 3 -> agent 2 (1, then 2, below agent 1's 3);
    # 4: agents 1 and 2 even at 3, the turn after 2 wraps round to 1; 5: agent 1 is full.
    assert [a for _, a in result.assignments] == [3, 2, 2, 1, 2]
    full = plan([Work(9, "en", ())], [agent(1, capacity=0)])
    assert (full.assignments, full.unassigned) == ([], [9])


def test_equally_loaded_agents_take_turns_across_runs() -> None:
    team = [agent(1), agent(2), agent(3)]
    first = plan([Work(1, None, ())], team, None)
    second = plan([Work(2, None, ())], team, first.last)
    third = plan([Work(3, None, ()), Work(4, None, ())], team, second.last)
    assert [first.assignments, second.assignments, third.assignments] == [
        [(1, 1)], [(2, 2)], [(3, 3), (4, 1)]
    ]  # fmt: skip
    assert plan([], team, third.last).last == 1  # no case: the turn stays where it was


def test_the_hub_delivers_to_the_tenant_and_drops_the_oldest_for_a_slow_reader() -> None:
    hub = Hub(buffer=2)
    mine, theirs, everyone = hub.subscribe("bank"), hub.subscribe("other"), hub.subscribe(None)
    for case_id in (1, 2, 3):
        hub.publish_case("bank", case_id, "cards", "updated")
    assert [e["id"] for e in _drain(mine)] == [2, 3]
    assert mine.dropped == 1
    assert _drain(theirs) == []
    assert [e["id"] for e in _drain(everyone)] == [2, 3]
    hub.unsubscribe(mine)
    assert hub.publish_case("bank", 4, "cards", "note") == 1  # only `everyone` is left


def _drain(subscription: Subscription) -> list[dict[str, Any]]:
    found = []
    while (event := subscription.get_nowait()) is not None:
        found.append(event)
    return found


def test_an_awaiting_subscriber_wakes_when_another_thread_publishes() -> None:
    hub = Hub()

    async def listen() -> tuple[object, object]:
        subscription = hub.subscribe("bank", loop=asyncio.get_running_loop())
        quiet = await subscription.next(0.01)
        loop = asyncio.get_running_loop()
        publishing = loop.run_in_executor(None, hub.publish_case, "bank", 5, "cards", "opened")
        event = await subscription.next(5)
        await publishing
        return quiet, event

    quiet, event = asyncio.run(listen())
    assert quiet is None
    assert isinstance(event, dict)
    assert (event["id"], event["change"]) == (5, "opened")


def test_ingest_announces_the_cases_it_opens_and_updates(database: Database) -> None:
    hub = Hub()
    heard = hub.subscribe("default")
    rules = RuleSet.parse(yaml.safe_load("rules:\n  - id: c\n    when: {query: card}\n"
                                         "    then: {route: cards}\n"))  # fmt: skip
    runner = Runner([*analysis_stages(enrich=True, rules=rules),
                     PersistStage(database, CaseDesk(), hub=hub)])  # fmt: skip
    bo = Author(source_id="b", handle="bo")
    runner.process(Batch(source="t", items=(Envelope(post=make_post("1", "my card is stolen",
                                                                    author=bo)),)))  # fmt: skip
    opened = heard.get(timeout=1)
    assert opened is not None
    assert (opened["team"], opened["change"]) == ("cards", "opened")
    follow_up = make_post("2", "still no card, hello?", author=bo, reply_to_id="1",
                          conversation_id="1")  # fmt: skip
    runner.process(Batch(source="t", items=(Envelope(post=follow_up),)))
    updated = heard.get(timeout=1)
    assert updated is not None
    assert (updated["id"], updated["change"]) == (opened["id"], "updated")
