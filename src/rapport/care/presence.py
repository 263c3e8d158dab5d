"""Who has a case open, and who is typing a reply: so two agents do not answer one customer.

Kept in memory: presence is a heartbeat (the console posts every few seconds while a case is
open), worthless after a restart and too frequent to write to the database. An entry that
is not renewed within `ttl` is gone, so a closed tab or a lost connection clears itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rapport.records.cases import Viewer

TTL = timedelta(seconds=20)


@dataclass
class _Entry:
    user_id: int
    name: str
    typing: bool
    since: datetime  # when this stretch of viewing began
    seen: datetime  # the last heartbeat


class Presence:
    def __init__(
        self, ttl: timedelta = TTL, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.ttl = ttl
        self.clock = clock
        self._lock = threading.Lock()
        self._cases: dict[int, dict[int, _Entry]] = {}

    def touch(self, case_id: int, user_id: int, name: str, *, typing: bool) -> list[Viewer]:
        """Record a heartbeat of `user_id` on the case; returns everyone on it now."""
        now = self.clock()
        with self._lock:
            self._expire(now)
            entries = self._cases.setdefault(case_id, {})
            entry = entries.get(user_id)
            if entry is None:
                entries[user_id] = _Entry(user_id, name, typing, now, now)
            else:
                entry.name, entry.typing, entry.seen = name, typing, now
            return self._viewers(case_id)

    def leave(self, case_id: int, user_id: int) -> None:
        with self._lock:
            entries = self._cases.get(case_id)
            if entries is not None:
                entries.pop(user_id, None)
                if not entries:
                    del self._cases[case_id]

    def viewers(self, case_id: int) -> list[Viewer]:
        """The users on the case now, earliest first."""
        with self._lock:
            self._expire(self.clock())
            return self._viewers(case_id)

    def _viewers(self, case_id: int) -> list[Viewer]:
        entries = sorted(self._cases.get(case_id, {}).values(), key=lambda e: (e.since, e.user_id))
        return [Viewer(e.user_id, e.name, e.typing, e.since) for e in entries]

    def _expire(self, now: datetime) -> None:
        # Every call sweeps all cases: the map holds only the cases open on screens right now,
        # a few hundred at most, so a sweep costs less than a timer thread would.
        oldest = now - self.ttl
        for case_id in list(self._cases):
            entries = self._cases[case_id]
            for user_id in [u for u, e in entries.items() if e.seen <= oldest]:
                del entries[user_id]
            if not entries:
                del self._cases[case_id]
