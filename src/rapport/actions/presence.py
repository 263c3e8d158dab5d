"""Who has a case open, and who is typing a reply: so two agents do not answer one customer.

Kept in the database, so an agent on one web tier sees a colleague on another. Presence is a
heartbeat (the console posts every few seconds while a case is open): one upsert, never
audited. An entry that is not renewed within `ttl` counts for nothing, so a closed tab or a
lost connection clears itself; `PresenceSweep` deletes such entries on a schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from rapport.periodic import Periodic
from rapport.records.cases import Viewer
from rapport.store import Connection, Database
from rapport.store import presence as rows

TTL = timedelta(seconds=20)
SWEEP_SECONDS = 60.0


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Presence:
    def __init__(
        self, database: Database, ttl: timedelta = TTL, clock: Callable[[], datetime] = _utcnow
    ) -> None:
        self.database = database
        self.ttl = ttl
        self.clock = clock

    def touch(
        self, tenant: str, case_id: int, user_id: int, name: str, *, typing: bool
    ) -> list[Viewer]:
        """Record a heartbeat of `user_id` on the case; returns everyone on it now."""
        now = self.clock()
        oldest = now - self.ttl

        def beat(conn: Connection) -> list[Viewer]:
            rows.touch(conn, tenant, case_id, user_id, name, typing=typing, now=now,
                       lapsed_at=oldest)  # fmt: skip
            return rows.viewers(conn, case_id, seen_after=oldest)

        return self.database.write(beat)

    def leave(self, case_id: int, user_id: int) -> None:
        self.database.write(lambda conn: rows.leave(conn, case_id, user_id))

    def viewers(self, case_id: int) -> list[Viewer]:
        """The users on the case now, earliest first."""
        with self.database.reading() as conn:
            return rows.viewers(conn, case_id, seen_after=self.clock() - self.ttl)


class PresenceSweep(Periodic):
    """Deletes presence that lapsed, so the table holds only the cases on screens now."""

    def __init__(self, presence: Presence, *, interval: float = SWEEP_SECONDS) -> None:
        super().__init__("presence-sweep", interval)
        self.presence = presence

    def run_once(self) -> int:
        oldest = self.presence.clock() - self.presence.ttl
        return self.presence.database.write(lambda conn: rows.sweep(conn, oldest))
