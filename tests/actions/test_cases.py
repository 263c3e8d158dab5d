"""Agents' case actions: each writes its change and audit entry in one transaction and is
announced on the console's hub only once committed; a refused one leaves no trace."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import pytest

from rapport.actions import cases as actions
from rapport.actions.base import Context
from rapport.auth.users import new_user
from rapport.care.hub import Hub
from rapport.care.work import ClaimedByOther
from rapport.errors import Forbidden
from rapport.records.accounts import User
from rapport.records.cases import Assignee
from rapport.store import Database
from rapport.store.audit import list_entries
from rapport.store.users import insert_user
from tests.web.test_desk import open_cases

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def agent(database: Database, email: str, role: str = "agent") -> User:
    new = new_user(email=email, role=role, name=email.split("@")[0], teams=["cards"])
    made: User = database.write(partial(insert_user, new=new))
    return made


def test_a_claim_is_audited_and_announced_on_the_hub_after_commit(database: Database) -> None:
    (case_id,) = open_cases(database, 1)
    ana = agent(database, "ana@bank.test")
    hub = Hub()
    console = hub.subscribe("default")
    context = Context(database, hub, clock=lambda: NOW)

    case = actions.claim_case(context, ana, case_id, ip="192.0.2.7")

    assert case.assignee == Assignee(ana.id, "ana")
    assert console.get_nowait() == {"type": "case", "id": case_id, "team": "cards",
                                    "change": "claimed", "at": NOW.isoformat()}  # fmt: skip
    with database.reading() as conn:
        (entry,) = list_entries(conn, "default")
    assert (entry.action, entry.subject, entry.ip) == (
        "case.claim", f"case:{case_id}", "192.0.2.7"
    )  # fmt: skip


def test_a_refused_change_is_neither_audited_nor_announced(database: Database) -> None:
    (case_id,) = open_cases(database, 1)
    ana, ben = agent(database, "ana@bank.test"), agent(database, "ben@bank.test")
    hub = Hub()
    context = Context(database, hub, clock=lambda: NOW)
    actions.claim_case(context, ana, case_id)
    console = hub.subscribe("default")

    with pytest.raises(ClaimedByOther) as refused:
        actions.add_note(context, ben, case_id, "I'll take this one")
    assert refused.value.details["holder"] == {"id": ana.id, "name": "ana"}
    with pytest.raises(Forbidden):
        actions.run_assignment(context, ben)

    assert console.get_nowait() is None
    with database.reading() as conn:
        assert [e.action for e in list_entries(conn, "default")] == ["case.claim"]
