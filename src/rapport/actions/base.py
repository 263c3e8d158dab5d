"""How one change runs: one transaction, its audit entry, and its events after commit.

Every action is a function `do_something(context, ..., *, actor)` that calls `apply` once.
Inside, the job gets a `Change`: the open transaction (to hand to the store's
repositories), the actor, the time, and two ways to leave a trace. `audit` writes the audit
row in the same transaction, so there is no change without its entry and no entry for a
change that rolled back. `publish` queues an event for the console and the webhooks; queued
events go out only after the transaction commits, so nobody hears of a change that did not
happen. (Zulip's `zerver/actions/` works the same way.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from rapport.store import Connection, Database, audit

T = TypeVar("T")


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a user of a tenant, or the system (`user_id` None) acting for one."""

    tenant: str
    user_id: int | None = None
    ip: str | None = None


@dataclass(frozen=True)
class Event:
    """A small notice that something of a tenant changed; readers fetch the thing itself, so
    nothing a subscriber may not read travels in it."""

    tenant: str
    kind: str
    body: dict[str, Any]


class Events(Protocol):
    """Where committed changes are announced (the console's hub, a bus, a test's list)."""

    def publish_events(self, events: Sequence[Event]) -> None: ...


@dataclass
class Change:
    """One change in progress: its transaction, its actor and its clock."""

    conn: Connection
    actor: Actor
    now: datetime
    _events: list[Event] = field(default_factory=list)

    def audit(self, action: str, subject: str, before: Any = None, after: Any = None) -> int:
        return audit.record(
            self.conn, self.actor.tenant, self.actor.user_id, action, subject,
            before, after, self.actor.ip, at=self.now,
        )  # fmt: skip

    def publish(self, kind: str, **body: Any) -> None:
        self._events.append(Event(self.actor.tenant, kind, body))


@dataclass(frozen=True)
class Context:
    """What every action needs: the database, where events go, and the clock."""

    database: Database
    events: Events | None = None
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


def apply(context: Context, actor: Actor, job: Callable[[Change], T]) -> T:
    """Run `job` in one transaction through the one writer; announce its events once it has
    committed. An exception rolls everything back and announces nothing."""
    now = context.clock()
    events: list[Event] = []

    def run(conn: Connection) -> T:
        return job(Change(conn, actor, now, events))

    result = context.database.write(run)
    if events and context.events is not None:
        context.events.publish_events(events)
    return result
