"""Storing a batch of posts with the cases it opens or joins: one transaction.

The posts, their rejects and alerts go in first (`Database.store_batch`); in the same
transaction the store hands the case desk what it knows of the batch's threads, the desk
plans, the store applies the plan, and the clocks of the cases it touched are judged again.
The console hears of the cases only once all of it has committed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import msgspec

from rapport.actions.base import Actor, Change, Context, Event
from rapport.actions.sla import refresh_sla
from rapport.care import hub as hubs
from rapport.care.desk import CaseDesk, Desks
from rapport.records import Alert, Envelope, Post, Rejected
from rapport.records.desk import CaseChanges, CaseRef, DeskFacts, Opening, OpenSurvey
from rapport.store import Connection, Database
from rapport.store import desk as desk_store
from rapport.store.backends.base import Inserted
from rapport.store.locks import lock_names

CASES_CHANGED = "cases_changed"


def store_batch(
    context: Context,
    items: Sequence[Envelope],
    posts: Sequence[Post],
    *,
    rejects: Sequence[Rejected] = (),
    analyses: Mapping[tuple[str, str], Envelope] | None = None,
    alerts: Sequence[Alert] = (),
    deliver_alerts: bool = False,
    desks: Desks | None = None,
) -> tuple[Envelope, ...]:
    """Store `posts` (the batch's posts as they are to be stored, one per envelope of
    `items`); returns the envelopes with the ids of the posts newly stored. Each tenant's
    desk opens and grows that tenant's cases, in the same transaction."""
    now = context.clock()
    stored: list[Envelope] = []
    events: list[Event] = []

    def then(conn: Connection, inserted: Inserted) -> None:
        stored.extend(_with_ids(items, posts, inserted))
        if not desks:
            return
        new = [e for e in stored if e.stored_id is not None]
        questions = {e.post.reply_to_id for e in new if e.post.reply_to_id}
        surveys = desk_store.open_surveys(conn, questions)
        for desk in desks.involved(new, surveys):
            change = Change(conn, Actor(tenant=desk.policy.tenant), now, events)
            changes = _run_desk(change, desk, new, surveys)
            updated = [*changes.joined, *changes.folded]
            if changes.opened or updated:
                change.publish(CASES_CHANGED, opened=list(changes.opened), updated=updated)

    context.database.store_batch(
        posts, rejects, analyses, alerts=alerts, deliver_alerts=deliver_alerts, then=then
    )
    # Only now, after the commit: nobody hears of a case that rolled back.
    if events and context.events is not None:
        context.events.publish_events(events)
    return tuple(stored)


def _run_desk(
    change: Change, desk: CaseDesk, stored: Sequence[Envelope], surveys: Sequence[OpenSurvey]
) -> CaseChanges:
    conn, tenant = change.conn, desk.policy.tenant
    triage = desk.triage(stored, surveys)
    posts = triage.conversation_posts
    conversations = desk_store.conversations(conn, posts) if posts else {}
    routed = bool(triage.routed)
    if routed:
        # Taken before reading the threads, so a second writer reads what the first wrote.
        lock_names(conn, desk.lock_names(triage, conversations))
    prints = {p for p in triage.prints.values() if p}
    facts = DeskFacts(
        conversations=conversations,
        open_in_threads=desk_store.open_cases_in(
            conn, tenant, desk.reply_threads(triage, conversations)
        ),
        reposted=desk_store.cases_of_sources(conn, tenant, desk.reposted_sources(triage)),
        thread_cases=desk_store.cases_in_threads(
            conn, tenant, desk.routed_threads(triage, conversations)
        ),
        fingerprint_cases=desk_store.open_cases_by_fingerprint(
            conn, tenant, prints, desk.fold_since(triage)
        )
        if prints
        else {},
    )
    plan = desk.plan(triage, facts, change.now)
    opened = desk_store.apply_plan(conn, plan, deliver_alerts=desk.deliver_alerts)

    def case_id(ref: CaseRef) -> int:
        return opened[ref.index] if isinstance(ref, Opening) else ref

    touched = {case_id(e.case) for e in plan.events} | {g.case_id for g in plan.growths}
    refresh_sla(conn, desk.sla, touched, desk.now())
    if desk.load is not None and (routed or triage.replies):
        desk.load.refresh(conn)
    return CaseChanges(
        opened=tuple(map(case_id, plan.opened)),
        joined=tuple(map(case_id, plan.joined)),
        folded=tuple(map(case_id, plan.folded)),
    )


@dataclass(frozen=True)
class HubAnnouncer:
    """Announces the cases a stored batch opened or updated on the console's hub (the
    process's default one when `hub` is None); never raises."""

    database: Database
    hub: hubs.Hub | None = None

    def publish_events(self, events: Sequence[Event]) -> None:
        for event in events:
            if event.kind == CASES_CHANGED:
                hubs.publish_case_changes(
                    self.hub or hubs.default(), self.database,
                    event.body["opened"], event.body["updated"],
                )  # fmt: skip


def _with_ids(
    items: Sequence[Envelope], posts: Sequence[Post], inserted: Inserted
) -> list[Envelope]:
    replace = msgspec.structs.replace
    if inserted.first_id is not None and len(inserted.ids) == len(items):
        # Every post new and none twice: their ids run in order, with no keys to look up.
        return [
            replace(envelope, post=post, stored_id=stored_id, duplicate=False)
            for stored_id, envelope, post in zip(
                range(inserted.first_id, inserted.first_id + len(items)), items, posts, strict=True
            )
        ]
    found = []
    claimed: set[tuple[str, str]] = set()
    for envelope, post in zip(items, posts, strict=True):
        # A key repeated inside one batch is stored once; its later copies are duplicates.
        key = (post.network, post.source_id)
        stored_id = None if key in claimed else inserted.ids.get(key)
        claimed.add(key)
        found.append(replace(envelope, post=post, stored_id=stored_id, duplicate=stored_id is None))
    return found
