"""Agents' changes to cases: claim, release, take the next, run assignment, note, tag,
snooze and wake, and record what they did (wait, resolve, reopen; a reply is recorded
when it is sent, in `replies.py`).

Each is one transaction through `apply`: the rule check (`care/work.py`), the write, the
audit row, and the console's event once it has committed. Each returns what the route
shows: the case as it is after the change (or the note, or the run's counts).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from rapport.actions.base import Actor, Change, Context, apply
from rapport.actions.sla import refresh_sla
from rapport.care.assign import Agent, pick_next, plan
from rapport.care.sla_book import SlaJudge
from rapport.care.work import (
    Worker,
    check_agent_event,
    check_may_work,
    claim_needed,
    ensure_supervises,
    status_after,
    supervises,
)
from rapport.errors import Forbidden, InputError
from rapport.records.cases import Assignment, AssignmentRun, CaseDetail, CaseHead, Holder, Note
from rapport.store import Connection
from rapport.store import case_work as work
from rapport.store.case_events import add_events
from rapport.store.cases import case_status, get_case, record_status
from rapport.store.turns import last_turns, lock_turns, remember_turns

MAX_SNOOZE = timedelta(days=30)
_PAGE = 200  # waiting cases read at a time while looking for the next one I can answer


def _actor(worker: Worker, ip: str | None) -> Actor:
    return Actor(worker.tenant, worker.id, ip)


def announce_case(change: Change, case_id: int, team: str, what: str) -> None:
    """Tell the console, once the change commits, that this case changed and how."""
    change.publish("case", id=case_id, team=team, change=what, at=change.now.isoformat())


def _log_for_other_tiers(change: Change, case_id: int, kind: str, worker: Worker) -> None:
    """A case event for a change that needs none for its clock (a note, new tags): the
    other web tiers' relays announce case changes by their events (`care/relay.py`)."""
    add_events(change.conn, [(case_id, change.now, kind, f"user:{worker.id}")])


def _holder(head: CaseHead) -> Holder | None:
    return None if head.assignee_id is None else Holder(head.assignee_id, head.assignee_name)


def ensure_may_work(conn: Connection, case_id: int, worker: Worker) -> CaseHead:
    """The case, if `worker` may change it: it is in their tenant (else NotFound) and nobody
    else holds it (else ClaimedByOther), unless they supervise."""
    head = work.case_head(conn, case_id, worker.tenant)
    check_may_work(head, worker.id, worker.role)
    return head


def _case_change(
    context: Context,
    worker: Worker,
    case_id: int,
    action: str,
    announce: str,
    write: Callable[[Change, CaseHead], tuple[Any, Any]],
    *,
    ip: str | None,
) -> CaseDetail:
    """Check the worker may change the case, change it, audit it, announce it; the case
    after."""

    def job(change: Change) -> CaseDetail:
        head = ensure_may_work(change.conn, case_id, worker)
        before, after = write(change, head)
        change.audit(action, f"case:{case_id}", before, after)
        announce_case(change, case_id, head.team, announce)
        return get_case(change.conn, case_id)

    return apply(context, _actor(worker, ip), job)


def claim_case(
    context: Context, worker: Worker, case_id: int, *, force: bool = False, ip: str | None = None
) -> CaseDetail:
    """Make the case the worker's. Someone else's case is refused naming the holder, unless a
    supervisor takes it over with `force`."""
    if force and not supervises(worker):
        raise Forbidden("only a supervisor or an admin may do this")

    def job(change: Change) -> CaseDetail:
        head = work.case_head(change.conn, case_id, worker.tenant)
        if claim_needed(head, worker.id, worker.role, force=force):
            work.take(change.conn, case_id, worker.id, now=change.now, expect=head.assignee_id)
        change.audit("case.claim", f"case:{case_id}", _holder(head),
                     Holder(worker.id, worker.name))  # fmt: skip
        announce_case(change, case_id, head.team, "claimed")
        return get_case(change.conn, case_id)

    return apply(context, _actor(worker, ip), job)


def release_case(
    context: Context, worker: Worker, case_id: int, *, ip: str | None = None
) -> CaseDetail:
    """Give the case back to its queue (its holder, or a supervisor)."""

    def write(change: Change, head: CaseHead) -> tuple[Any, Any]:
        if head.assignee_id is not None:
            work.release(change.conn, case_id, worker.id, now=change.now)
        return _holder(head), None

    return _case_change(context, worker, case_id, "case.release", "released", write, ip=ip)


def claim_next(
    context: Context, worker: Worker, team: str, *, ip: str | None = None
) -> CaseDetail | None:
    """Claim the first waiting case of `team` the worker can answer; None when there is none."""

    def job(change: Change) -> CaseDetail | None:
        offset = 0
        while True:
            page = work.waiting(change.conn, worker.tenant, team, now=change.now,
                                limit=_PAGE, offset=offset)  # fmt: skip
            found = pick_next(page, worker.languages, worker.skills)
            if found is not None and work.take(
                change.conn, found.id, worker.id, now=change.now, expect=None
            ):
                change.audit("case.claim", f"case:{found.id}", None,
                             {"id": worker.id, "next": team})  # fmt: skip
                announce_case(change, found.id, team, "claimed")
                return get_case(change.conn, found.id)
            if len(page) < _PAGE:
                return None
            offset += _PAGE

    return apply(context, _actor(worker, ip), job)


def run_assignment(context: Context, worker: Worker, *, ip: str | None = None) -> AssignmentRun:
    """Give every waiting case of the tenant to an agent of its team who can answer it: the
    fewest open cases first, never over capacity, taking turns among equals (supervisors).
    The turns are the store's, so runs on any web tier continue from one another."""
    ensure_supervises(worker)
    tenant = worker.tenant

    def job(change: Change) -> AssignmentRun:
        lock_turns(change.conn, tenant)  # a run on another tier waits, then reads our turns
        turns = last_turns(change.conn, tenant)
        passed: dict[str, int] = {}
        assigned: list[Assignment] = []
        unassigned = 0
        loads: dict[int, int] = {}  # an agent in two teams carries one load across both
        for team, waiting in sorted(
            work.waiting_by_team(change.conn, tenant, now=change.now).items()
        ):
            agents = [
                Agent(a.id, a.name, a.languages, a.skills, a.capacity, loads.get(a.id, a.load))
                for a in work.team_agents(change.conn, tenant, team)
            ]
            result = plan(waiting, agents, turns.get(team))
            for case_id, agent_id in result.assignments:
                if work.take(change.conn, case_id, agent_id, now=change.now, expect=None,
                             event="assigned"):  # fmt: skip
                    assigned.append(Assignment(case_id, agent_id, team))
                    loads[agent_id] = loads.get(agent_id, _load_of(agents, agent_id)) + 1
                    announce_case(change, case_id, team, "claimed")
            unassigned += len(result.unassigned)
            if result.last is not None and result.last != turns.get(team):
                passed[team] = result.last
        remember_turns(change.conn, tenant, passed)
        change.audit("case.assign", "cases", None,
                     {"assigned": [[a.case_id, a.agent_id] for a in assigned],
                      "unassigned": unassigned})  # fmt: skip
        return AssignmentRun(assigned=len(assigned), unassigned=unassigned)

    return apply(context, _actor(worker, ip), job)


def _load_of(agents: list[Agent], agent_id: int) -> int:
    return next(a.load for a in agents if a.id == agent_id)


def add_note(
    context: Context, worker: Worker, case_id: int, text: str, *, ip: str | None = None
) -> Note:
    """An internal note on the case, for the team; never sent to the customer."""
    text = text.strip()
    if not text:
        raise InputError("a note needs some text")

    def job(change: Change) -> Note:
        head = ensure_may_work(change.conn, case_id, worker)
        note = work.add_note(change.conn, case_id, worker.id, text, now=change.now)
        _log_for_other_tiers(change, case_id, "note", worker)
        change.audit("case.note", f"case:{case_id}", None, {"note": note.id})
        announce_case(change, case_id, head.team, "note")
        return note

    return apply(context, _actor(worker, ip), job)


def set_tags(
    context: Context, worker: Worker, case_id: int, tags: list[str], *, ip: str | None = None
) -> CaseDetail:
    """Replace the case's tags."""

    def write(change: Change, _head: CaseHead) -> tuple[Any, Any]:
        before_after = work.set_tags(change.conn, case_id, tags, now=change.now)
        _log_for_other_tiers(change, case_id, "tagged", worker)
        return before_after

    return _case_change(context, worker, case_id, "case.tags", "updated", write, ip=ip)


def snooze_case(
    context: Context, worker: Worker, case_id: int, until: datetime, *, ip: str | None = None
) -> CaseDetail:
    """Hide the case from its queue until `until`, at most 30 days away (its SLA clock keeps
    running)."""
    if until.tzinfo is None:
        raise InputError("'until' needs a time zone, for example 2026-11-25T10:00:00Z")
    now = context.clock()
    if until <= now or until - now > MAX_SNOOZE:
        raise InputError(f"'until' must be in the future and at most {MAX_SNOOZE.days} days away")

    def write(change: Change, head: CaseHead) -> tuple[Any, Any]:
        work.snooze(change.conn, case_id, until, user_id=worker.id, now=change.now)
        return {"snoozed_until": head.snoozed_until}, {"snoozed_until": until}

    return _case_change(context, worker, case_id, "case.snooze", "snoozed", write, ip=ip)


def wake_case(
    context: Context, worker: Worker, case_id: int, *, ip: str | None = None
) -> CaseDetail:
    """Bring a snoozed case back to its queue now."""

    def write(change: Change, head: CaseHead) -> tuple[Any, Any]:
        work.snooze(change.conn, case_id, None, user_id=worker.id, now=change.now)
        return {"snoozed_until": head.snoozed_until}, {"snoozed_until": None}

    return _case_change(context, worker, case_id, "case.wake", "updated", write, ip=ip)


def record_agent_event(
    conn: Connection,
    book: SlaJudge,
    case_id: int,
    kind: str,
    *,
    actor: str = "",
    at: datetime,
) -> CaseDetail:
    """Within a transaction: record what an agent did; the status and the SLA clock follow.
    Returns the case after."""
    status = status_after(case_id, case_status(conn, case_id), kind)
    record_status(conn, case_id, kind, status, actor=actor, at=at)
    refresh_sla(conn, book, [case_id], at)
    return get_case(conn, case_id)


def add_case_event(
    context: Context,
    worker: Worker,
    book: SlaJudge,
    case_id: int,
    kind: str,
    *,
    ip: str | None = None,
) -> CaseDetail:
    """Record what an agent did by hand: waiting on the customer (pauses the clock),
    resolved, reopened. Who and when are the worker and now, never what a client says:
    the SLA results are read from these events."""
    check_agent_event(case_id, kind)

    def job(change: Change) -> CaseDetail:
        head = ensure_may_work(change.conn, case_id, worker)  # another tenant's: 404
        case = record_agent_event(change.conn, book, case_id, kind,
                                  actor=f"user:{worker.id}", at=change.now)  # fmt: skip
        change.audit(f"case.{kind}", f"case:{case_id}", {"status": head.status},
                     {"status": case.status})  # fmt: skip
        announce_case(change, case_id, head.team, "resolved" if kind == "resolved" else "updated")
        return case

    return apply(context, _actor(worker, ip), job)
