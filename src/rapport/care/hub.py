"""Live updates for the care console: an in-process publish/subscribe of small case events.

Publishers are worker threads (API requests, the pipeline's persist stage); subscribers are
usually Server-Sent Events streams on the event loop. Each subscriber has its own bounded
buffer: a subscriber that stops reading loses its oldest events rather than slowing the
publisher or growing without bound, and the console re-reads its queue when it sees a gap
(`dropped`). An event says only which case changed and how; clients fetch the case itself,
so nothing a user may not read travels on the stream.

Changes committed by other processes (other web tiers, bus workers) arrive through the
relay (`care/relay.py`), which reads them back from the store. A change made here is
announced at once, without waiting for the relay; the hub remembers it for a few seconds
so the relay does not announce it a second time when it reads it back (`echoes`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from rapport.store import Database
from rapport.store.cases import case_refs

Change = Literal[
    "opened", "updated", "claimed", "released", "replied", "resolved", "snoozed", "note"
]
Event = dict[str, Any]
DEFAULT_BUFFER = 256
# How long a change announced here waits for the relay to read it back: a few relay passes,
# and the time a slow transaction takes to become visible to other connections.
ECHO_SECONDS = 5.0
MAX_ECHOES = 100_000
_log = logging.getLogger(__name__)


class Announcement(Protocol):
    """A committed change as the actions queue it (`actions.base.Event`): read by shape,
    since the hub sits below the actions."""

    @property
    def tenant(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def body(self) -> dict[str, Any]: ...


class Subscription:
    """One subscriber's buffer of events for one tenant (None: every tenant)."""

    def __init__(
        self, tenant: str | None, maxsize: int, loop: asyncio.AbstractEventLoop | None
    ) -> None:
        self.tenant = tenant
        self.dropped = 0
        self._items: deque[Event] = deque(maxlen=maxsize)
        self._ready = threading.Condition()
        self._loop = loop
        self._wake = asyncio.Event() if loop is not None else None

    def put(self, event: Event) -> None:
        with self._ready:
            if len(self._items) == self._items.maxlen:
                self.dropped += 1
            self._items.append(event)
            self._ready.notify_all()
        if self._loop is not None and self._wake is not None:
            # The event loop's objects are not thread-safe; ask the loop to set it.
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits
                self._loop.call_soon_threadsafe(self._wake.set)

    def get_nowait(self) -> Event | None:
        with self._ready:
            return self._items.popleft() if self._items else None

    def get(self, timeout: float) -> Event | None:
        """The next event, waiting up to `timeout` seconds in this thread; None if none came."""
        with self._ready:
            self._ready.wait_for(lambda: bool(self._items), timeout)
            return self._items.popleft() if self._items else None

    async def next(self, timeout: float) -> Event | None:
        """The next event, awaiting up to `timeout` seconds on the subscriber's loop."""
        if self._wake is None:
            raise RuntimeError("subscribe with loop=... to await events")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = self.get_nowait()
            if found is not None:
                return found
            self._wake.clear()
            # Checked again after clearing: an event put in between would otherwise wait.
            found = self.get_nowait()
            if found is not None:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            try:
                await asyncio.wait_for(self._wake.wait(), remaining)
            except TimeoutError:
                return None


class Hub:
    def __init__(
        self,
        buffer: int = DEFAULT_BUFFER,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.buffer = buffer
        self.clock = clock
        self._lock = threading.Lock()
        self._subscribers: list[Subscription] = []
        # Cases announced here, by when (monotonic), while a relay reads changes back.
        self._echoes: dict[int, float] | None = None

    def subscribe(
        self, tenant: str | None, *, loop: asyncio.AbstractEventLoop | None = None
    ) -> Subscription:
        subscription = Subscription(tenant, self.buffer, loop)
        with self._lock:
            self._subscribers.append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            if subscription in self._subscribers:
                self._subscribers.remove(subscription)

    @property
    def listening(self) -> bool:
        """Whether anyone subscribes: publishers skip the work of building events if not."""
        return bool(self._subscribers)

    def publish(self, tenant: str, event: Event) -> int:
        """Hand `event` to the tenant's subscribers; returns how many got it. Never raises:
        a live update is a convenience and must never fail the change it reports."""
        try:
            with self._lock:
                targets = [s for s in self._subscribers if s.tenant in (None, tenant)]
            for subscription in targets:
                subscription.put(event)
            return len(targets)
        except Exception:  # pragma: no cover - defensive: see the docstring
            _log.exception("could not publish a live update")
            return 0

    def publish_events(self, events: Sequence[Announcement]) -> None:
        """Announce the events of a committed change (the actions' `Events` protocol): each
        goes out as `{"type": kind, **body}`."""
        if not self.listening:
            return
        for event in events:
            if event.kind == "case":
                self._announced_here(int(event.body["id"]))
            self.publish(event.tenant, {"type": event.kind, **event.body})

    def publish_case(
        self, tenant: str, case_id: int, team: str, change: Change, at: datetime | None = None
    ) -> int:
        """Announce a change of a case made in this process."""
        self._announced_here(case_id)
        return self.publish(tenant, case_event(case_id, team, change, at or self.clock()))

    def expect_echoes(self) -> None:
        """A relay reads this process's changes back from now on: remember what was announced
        here, so that `echoes` can tell it what not to announce again."""
        with self._lock:
            if self._echoes is None:
                self._echoes = {}

    def echoes(self, case_ids: Iterable[int], *, within: float = ECHO_SECONDS) -> set[int]:
        """Which of these cases were announced here in the last `within` seconds; each is
        forgotten as it is returned, so a later change made elsewhere is announced."""
        now = time.monotonic()
        with self._lock:
            if self._echoes is None:
                return set()
            for case_id in [c for c, t in self._echoes.items() if now - t > within]:
                del self._echoes[case_id]
            return {c for c in case_ids if self._echoes.pop(c, None) is not None}

    def _announced_here(self, case_id: int) -> None:
        if self._echoes is not None:
            with self._lock:
                if len(self._echoes) >= MAX_ECHOES:  # a relay that stopped reading
                    self._echoes.clear()
                self._echoes[case_id] = time.monotonic()


def case_event(case_id: int, team: str, change: Change, at: datetime) -> Event:
    """The console's event for a changed case."""
    return {"type": "case", "id": case_id, "team": team, "change": change, "at": at.isoformat()}


_DEFAULT = Hub()


def default() -> Hub:
    """The process's hub: the one the pipeline and the web app share unless told otherwise."""
    return _DEFAULT


def publish_case_changes(
    hub: Hub, database: Database, opened: Iterable[int], updated: Iterable[int]
) -> None:
    """Announce cases a stored batch opened or updated. Reads each case's tenant and team after
    the batch has committed, and only when someone listens; never raises."""
    new = set(opened)
    ids = sorted(new | set(updated))
    if not ids or not hub.listening:
        return
    try:
        with database.reading() as conn:
            refs = case_refs(conn, ids)
        for ref in refs:
            change: Change = "opened" if ref.id in new else "updated"
            hub.publish_case(ref.tenant, ref.id, ref.team, change)
    except Exception:
        _log.exception("could not announce case changes")
