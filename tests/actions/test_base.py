"""An action is one transaction: its change, its audit entry and its events stand or fall
together, and events are announced only after the commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from rapport.actions.base import Actor, Change, Context, Event, apply
from rapport.errors import Conflict
from rapport.store import Database
from rapport.store.audit import list_entries

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


class Recorder:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.published: list[Event] = []
        self.entries_seen_when_published: list[int] = []

    def publish_events(self, events: Sequence[Event]) -> None:
        # What a subscriber would read on hearing the event: the change must be committed.
        with self.database.reading() as conn:
            self.entries_seen_when_published.append(len(list_entries(conn, "acme")))
        self.published.extend(events)


def test_audit_and_events_follow_the_commit(database: Database) -> None:
    recorder = Recorder(database)
    context = Context(database, recorder, clock=lambda: NOW)
    actor = Actor("acme", user_id=None, ip="192.0.2.1")

    def job(change: Change) -> str:
        change.audit("thing.make", "thing:1", None, {"size": 3})
        change.publish("thing", id=1, change="made")
        assert recorder.published == []  # nothing is announced inside the transaction
        return "made"

    assert apply(context, actor, job) == "made"
    assert recorder.published == [Event("acme", "thing", {"id": 1, "change": "made"})]
    assert recorder.entries_seen_when_published == [1]
    with database.reading() as conn:
        (entry,) = list_entries(conn, "acme")
    assert entry.action == "thing.make"
    assert entry.after == {"size": 3}
    assert entry.ip == "192.0.2.1"
    assert entry.at == NOW


def test_a_failed_change_leaves_no_entry_and_announces_nothing(database: Database) -> None:
    recorder = Recorder(database)
    context = Context(database, recorder, clock=lambda: NOW)

    def job(change: Change) -> None:
        change.audit("thing.make", "thing:2")
        change.publish("thing", id=2, change="made")
        raise Conflict("thing 2 changed meanwhile")

    with pytest.raises(Conflict, match="changed meanwhile"):
        apply(context, Actor("acme", user_id=7), job)
    assert recorder.published == []
    with database.reading() as conn:
        assert list_entries(conn, "acme") == []
