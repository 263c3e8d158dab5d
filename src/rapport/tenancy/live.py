"""Configuration in force in every process, not only the one that saved it.

Each process runs a `LiveConfig`: every few seconds it reads the store's configuration
generation (`store.tenants.generation`, which grows with each saved tenant configuration or
rule version); when that moved, it calls the process's reload callbacks, and then it reports
its heartbeat with the generation it has applied. The API compares those heartbeats to say
when a change is in force everywhere, not before.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from rapport.periodic import Periodic
from rapport.records.processes import ConfigStatus, Process
from rapport.store import Connection, Database, processes, tenants

_log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 2.0
# A process that missed this many heartbeats is taken for gone: slow passes (a busy
# database) are not mistaken for a dead process, and a dead one stops counting quickly.
LIVE_INTERVALS = 3
STALE_AFTER = timedelta(days=1)
_SWEEP_EVERY = timedelta(hours=1)

# A reload reads the new state through the store's repositories on the connection it is
# given, and puts it in force in this process; it raises when it cannot.
Reload = Callable[[Connection], object]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class LiveConfig(Periodic):
    def __init__(
        self,
        database: Database,
        role: str,
        *,
        interval: float = DEFAULT_INTERVAL,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        super().__init__(f"live-config-{role}", interval)
        self._database = database
        self._clock = clock
        self._reloads: list[Reload] = []
        self.process_id = str(uuid.uuid4())
        self.role = role
        self.started_at = clock()
        # None until the first pass: whatever this process built at start may already be
        # older than the store, so the first pass always reloads.
        self.applied: int | None = None
        self._next_sweep = self.started_at

    def on_reload(self, reload: Reload) -> None:
        self._reloads.append(reload)

    def start(self) -> None:
        # The first pass runs before the process serves anything, so it never overwrites
        # a change made after it started with what it read before.
        self._pass()
        super().start()

    def stop(self) -> None:
        super().stop()
        try:
            self._database.write(lambda conn: processes.forget(conn, self.process_id))
        except Exception:
            _log.warning("live config: could not unregister %s", self.process_id, exc_info=True)

    def run_once(self) -> int | None:
        """Reload when the generation moved, then report the one applied; returns it."""
        try:
            self._catch_up()
        except Exception:
            _log.warning(
                "live config: reloading failed; still on generation %s, retrying in %.1fs",
                self.applied, self.interval, exc_info=True,
            )  # fmt: skip
        self._beat()
        return self.applied

    def _catch_up(self) -> None:
        with self._database.reading() as conn:
            # Read before the callbacks read the state: a save in between is then reloaded
            # now and reported on the next pass, never reported without being reloaded.
            current = tenants.generation(conn)
            if current == self.applied:
                return
            for reload in self._reloads:
                reload(conn)
        self.applied = current

    def _beat(self) -> None:
        now = self._clock()
        me = Process(
            id=self.process_id, role=self.role, host=socket.gethostname()[:255],
            pid=os.getpid(), started_at=self.started_at, seen_at=now, generation=self.applied,
        )  # fmt: skip
        sweep = now >= self._next_sweep

        def job(conn: Connection) -> None:
            processes.heartbeat(conn, me)
            if sweep:
                processes.forget_stale(conn, now - STALE_AFTER)

        self._database.write(job)
        if sweep:
            self._next_sweep = now + _SWEEP_EVERY


def live_since(now: datetime, interval: float = DEFAULT_INTERVAL) -> datetime:
    """Processes seen at or after this are alive."""
    return now - timedelta(seconds=LIVE_INTERVALS * interval)


def config_status(current: int, live: Iterable[Process], wanted: int | None = None) -> ConfigStatus:
    """Generation `wanted` (default `current`) is in force everywhere when every live
    process has applied it or a later one."""
    seen = tuple(live)
    goal = current if wanted is None else wanted
    everywhere = all(p.generation is not None and p.generation >= goal for p in seen)
    return ConfigStatus(
        generation=current, wanted=goal, in_force_everywhere=everywhere, processes=seen
    )
