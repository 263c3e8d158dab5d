"""Who may work a case, decided without a database: the holder keeps others off, a
supervisor may take over, and an agent's event must fit the case's status."""

from __future__ import annotations

import pytest

from rapport.care.work import ClaimedByOther, check_may_work, claim_needed, status_after
from rapport.errors import Conflict, InputError
from rapport.records.cases import CaseHead


def head(*, holder: int | None = None, status: str = "open") -> CaseHead:
    name = None if holder is None else f"agent {holder}"
    return CaseHead(7, "acme", "cards", status, holder, name, None, None)


def test_someone_elses_case_is_a_conflict_naming_the_holder() -> None:
    with pytest.raises(ClaimedByOther) as refused:
        check_may_work(head(holder=2), 3, "agent")
    assert isinstance(refused.value, Conflict)
    assert refused.value.details == {"holder": {"id": 2, "name": "agent 2"}}
    check_may_work(head(holder=2), 2, "agent")  # the holder may
    check_may_work(head(holder=2), 3, "supervisor")  # and so may a supervisor
    check_may_work(head(), 3, "agent")  # and anyone, while nobody holds it


def test_taking_a_held_case_needs_force_and_a_supervisor() -> None:
    assert claim_needed(head(), 3, "agent", force=False)
    assert not claim_needed(head(holder=3), 3, "agent", force=False)  # mine already
    with pytest.raises(ClaimedByOther):
        claim_needed(head(holder=2), 3, "supervisor", force=False)
    with pytest.raises(ClaimedByOther):
        claim_needed(head(holder=2), 3, "agent", force=True)
    assert claim_needed(head(holder=2), 3, "admin", force=True)
    with pytest.raises(Conflict, match="reopen it"):
        claim_needed(head(status="resolved"), 3, "admin", force=True)


def test_an_agents_event_must_fit_the_status() -> None:
    assert status_after(7, "open", "waiting_on_customer") == "pending"
    assert status_after(7, "resolved", "reopened") == "open"
    with pytest.raises(Conflict, match="only a resolved case reopens"):
        status_after(7, "open", "reopened")
    with pytest.raises(Conflict, match="reopen it first"):
        status_after(7, "resolved", "waiting_on_customer")
    with pytest.raises(InputError):
        status_after(7, "open", "shrugged")


def test_a_reply_is_recorded_by_sending_it_not_by_hand() -> None:
    with pytest.raises(InputError, match="POST /api/v1/cases/7/replies"):
        status_after(7, "open", "agent_reply")
    with pytest.raises(InputError, match="customer's posts"):
        status_after(7, "open", "customer_message")
