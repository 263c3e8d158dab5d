"""Storing a batch with its cases is one action: its case events are announced after the
commit, and not at all when it rolls back."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import sqlalchemy as sa

from rapport.actions.base import Context, Event
from rapport.actions.batches import CASES_CHANGED, store_batch
from rapport.care.desk import CaseDesk, CasePolicy, Desks
from rapport.care.load import OpenCases
from rapport.records import Enrichment, Envelope, Priority, RoutingDecision, TenantRoute
from rapport.store import Connection, Database, schema
from tests.conftest import make_post


class Heard:
    def __init__(self) -> None:
        self.events: list[Event] = []

    def publish_events(self, events: Sequence[Event]) -> None:
        self.events.extend(events)


class BrokenLoad(OpenCases):
    def refresh(self, conn: Connection) -> None:
        raise RuntimeError("the load could not be counted")


def complaint(source_id: str, *tenants: str) -> Envelope:
    return Envelope(
        post=make_post(source_id, "my card was charged twice, please help me"),
        enrichment=Enrichment(lang="en"),
        priority=Priority(score=60.0),
        routes=tuple(
            TenantRoute(
                tenant=tenant,
                decision=RoutingDecision(rule_id="cards", team="cards", queue="cards"),
                priority=Priority(score=60.0),
            )
            for tenant in tenants
        ),
    )


def case_count(database: Database) -> int:
    with database.reading() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(schema.cases)).scalar_one())


def test_opened_cases_are_announced_after_the_commit(database: Database) -> None:
    heard = Heard()
    items = (complaint("1", "acme"),)
    stored = store_batch(
        Context(database, events=heard), items, [e.post for e in items],
        desks=Desks([CaseDesk(CasePolicy(tenant="acme"))]),
    )  # fmt: skip
    assert stored[0].stored_id is not None
    (event,) = heard.events
    assert (event.tenant, event.kind) == ("acme", CASES_CHANGED)
    assert len(event.body["opened"]) == 1
    assert event.body["updated"] == []
    assert case_count(database) == 1


def test_a_batch_that_rolls_back_announces_nothing(database: Database) -> None:
    heard = Heard()
    items = (complaint("2", "default"),)
    with pytest.raises(RuntimeError):
        store_batch(
            Context(database, events=heard), items, [e.post for e in items],
            desks=Desks([CaseDesk(load=BrokenLoad())]),
        )  # fmt: skip
    assert heard.events == []
    assert case_count(database) == 0
