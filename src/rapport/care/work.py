"""Who may work a case, and what an agent's event does to it: the rules, without SQL.

A case claimed by one agent is theirs to work: the others get `ClaimedByOther` (409) naming
the holder, which is what keeps two people from answering one customer. Supervisors and
admins may work any case, and only they may take a case from its holder.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rapport.errors import Conflict, Forbidden, InputError
from rapport.records.cases import CaseHead

SUPERVISING = frozenset({"supervisor", "admin"})

# What an agent (or the API on their behalf) may record by hand, and the status it leaves.
# The events that meet a response clock are not here: SLA results must come from what really
# happened, so `agent_reply` is written only when a reply is sent (`actions/replies.py`) or
# the brand's own post answers on the network (`care/desk.py`).
AGENT_EVENTS = {
    "waiting_on_customer": "pending",
    "resolved": "resolved",
    "reopened": "open",
}


class HasRole(Protocol):
    @property
    def role(self) -> str: ...


class Worker(HasRole, Protocol):
    """What the rules need of the person working a case (an account's `User` fits), read by
    shape so that the care desk does not depend on where accounts live."""

    @property
    def id(self) -> int: ...

    @property
    def tenant(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def languages(self) -> Sequence[str]: ...

    @property
    def skills(self) -> Sequence[str]: ...


class ClaimedByOther(Conflict):
    """The case is claimed by someone else; `holder` is their name, and the problem body
    names them too, so the console can say whom to ask."""

    def __init__(self, case_id: int, holder_id: int, holder: str) -> None:
        super().__init__(
            f"case {case_id} is claimed by {holder}", holder={"id": holder_id, "name": holder}
        )
        self.holder_id = holder_id
        self.holder = holder


def supervises(user: HasRole) -> bool:
    return user.role in SUPERVISING


def ensure_supervises(user: HasRole) -> None:
    if not supervises(user):
        raise Forbidden("only a supervisor or an admin may do this")


def _holder_name(head: CaseHead, holder: int) -> str:
    return head.assignee_name or f"user {holder}"


def check_may_work(head: CaseHead, user_id: int, role: str) -> None:
    """Refuse a user who is not the case's holder, unless they supervise."""
    holder = head.assignee_id
    if holder is not None and holder != user_id and role not in SUPERVISING:
        raise ClaimedByOther(head.id, holder, _holder_name(head, holder))


def claim_needed(head: CaseHead, user_id: int, role: str, *, force: bool) -> bool:
    """Whether claiming the case for the user changes anything (False: it is theirs already).
    Taking a case from someone else needs `force` and a supervisor; a resolved case must be
    reopened first."""
    if head.status == "resolved":
        raise Conflict(f"case {head.id} is resolved; reopen it before claiming it")
    holder = head.assignee_id
    if holder == user_id:
        return False
    if holder is not None and not (force and role in SUPERVISING):
        raise ClaimedByOther(head.id, holder, _holder_name(head, holder))
    return True


# Kinds the desk records from what happened, with what to do instead of posting them.
_RECORDED_BY_THE_DESK = {
    "agent_reply": "send the reply with POST /api/v1/cases/{id}/replies; it is recorded "
    "when the network accepts it",
    "opened": "cases open from the customer's posts",
    "customer_message": "the customer's posts are recorded as they arrive",
}


def check_agent_event(case_id: int, kind: str) -> None:
    """Refuse a kind an agent may not record by hand, saying what to do instead."""
    if kind in AGENT_EVENTS:
        return
    instead = _RECORDED_BY_THE_DESK.get(kind)
    if instead is not None:
        raise InputError(f"case event {kind!r} cannot be posted: " + instead.format(id=case_id))
    raise InputError(f"case event {kind!r} is not one of {', '.join(AGENT_EVENTS)}")


def status_after(case_id: int, status: str, kind: str) -> str:
    """The status an agent's event leaves the case in; refuses events its status forbids."""
    check_agent_event(case_id, kind)
    if kind == "reopened" and status != "resolved":
        raise Conflict(f"case {case_id} is {status}, not resolved; only a resolved case reopens")
    if kind != "reopened" and status == "resolved":
        raise Conflict(f"case {case_id} is resolved; reopen it first")
    return AGENT_EVENTS[kind]
