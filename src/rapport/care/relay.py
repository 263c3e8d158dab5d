"""Live case updates for a web tier whose cases are written by other processes.

With bus workers, the persist stage commits in a worker process, whose hub nobody follows.
The web tier's relay reads the case events committed since its last look (an indexed
read by id, every second, and only while a console listens) and announces them on the
web tier's hub, which the consoles follow over server-sent events.
"""

from __future__ import annotations

from rapport.care import hub as hubs
from rapport.periodic import Periodic
from rapport.store import Database
from rapport.store.cases import events_after, last_event_id


class CaseRelay(Periodic):
    def __init__(self, database: Database, hub: hubs.Hub | None = None, *, interval: float = 1.0):
        super().__init__("case-relay", interval)
        self.database = database
        self.hub = hub or hubs.default()
        self._last: int | None = None

    def run_once(self) -> int:
        """Announce what changed since the last call; returns how many cases it announced."""
        with self.database.reading() as conn:
            # At the first look, start from now: what came before is on the page already.
            if self._last is None or not self.hub.listening:
                self._last = last_event_id(conn)
                return 0
            rows = events_after(conn, self._last, limit=5000)
        if not rows:
            return 0
        self._last = int(rows[-1].id)
        opened = {int(r.case_id) for r in rows if r.kind == "opened"}
        updated = {int(r.case_id) for r in rows} - opened
        hubs.publish_case_changes(self.hub, self.database, opened, updated)
        return len(opened | updated)
