"""Live case updates on every web tier, whichever process made the change.

Every committed case change writes a case event. Each web tier's relay reads the events
committed since its last look (an indexed read by id, twice a second, and only while a
console listens) and announces the cases they belong to on the tier's hub, which the
consoles follow over server-sent events. Changes this tier made itself were announced
already, at commit; the hub names them (`Hub.echoes`) and the relay skips them.

PostgreSQL hands out ids when a transaction inserts, not when it commits: an event with a
lower id may become visible after one with a higher id. Ids skipped over are looked for
again on each pass for `GAP_SECONDS`, long enough for any transaction to commit (a rolled
back one leaves its gap for good).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from rapport.care import hub as hubs
from rapport.periodic import Periodic
from rapport.records.case_feed import CaseFeedItem
from rapport.store import Database
from rapport.store.case_feed import feed_after
from rapport.store.cases import last_event_id

INTERVAL = 0.5
GAP_SECONDS = 10.0
MAX_GAPS = 1000
_PAGE = 5000

# What the console hears for each kind of case event; anything else is "updated". When one
# pass reads several events of a case, the first of these it finds names the change.
_CHANGES: dict[str, hubs.Change] = {
    "opened": "opened",
    "resolved": "resolved",
    "agent_reply": "replied",
    "claimed": "claimed",
    "assigned": "claimed",
    "released": "released",
    "snoozed": "snoozed",
    "note": "note",
}
_RANK = {kind: rank for rank, kind in enumerate(_CHANGES)}


class CaseRelay(Periodic):
    def __init__(
        self, database: Database, hub: hubs.Hub | None = None, *, interval: float = INTERVAL
    ):
        super().__init__("case-relay", interval)
        self.database = database
        self.hub = hub or hubs.default()
        self.hub.expect_echoes()
        self._last: int | None = None
        self._gaps: dict[int, float] = {}  # id skipped over -> when first missed (monotonic)

    def run_once(self) -> int:
        """Announce what changed since the last call; returns how many cases it announced."""
        with self.database.reading() as conn:
            # At the first look, start from now: what came before is on the page already.
            if self._last is None or not self.hub.listening:
                self._last = last_event_id(conn)
                self._gaps.clear()
                return 0
            items = feed_after(conn, self._last, missing=self._gaps.keys(), limit=_PAGE)
        self._note_gaps(item.id for item in items)
        if not items:
            return 0
        fresh = changed_cases(items)
        mine = self.hub.echoes(fresh)
        for case_id, item in fresh.items():
            if case_id not in mine:
                event = hubs.case_event(case_id, item.team, _change(item.kind), item.at)
                self.hub.publish(item.tenant, event)
        return len(fresh) - len(mine)

    def _note_gaps(self, seen: Iterable[int]) -> None:
        ids = sorted(seen)
        now = time.monotonic()
        for found in ids:
            self._gaps.pop(found, None)
        assert self._last is not None
        newest = max([self._last, *ids])
        got = set(ids)
        for missing in range(max(self._last + 1, newest - MAX_GAPS), newest):
            if missing not in got:
                self._gaps[missing] = now
        self._last = newest
        for old in [i for i, t in self._gaps.items() if now - t > GAP_SECONDS]:
            del self._gaps[old]
        if len(self._gaps) > MAX_GAPS:  # a huge rollback: keep looking for the newest only
            for old in sorted(self._gaps)[: len(self._gaps) - MAX_GAPS]:
                del self._gaps[old]


def changed_cases(items: Sequence[CaseFeedItem]) -> dict[int, CaseFeedItem]:
    """Each case once, by the event that names its change best (the newest among equals)."""
    chosen: dict[int, CaseFeedItem] = {}
    for item in items:
        before = chosen.get(item.case_id)
        if before is None or _rank(item.kind) <= _rank(before.kind):
            chosen[item.case_id] = item
    return chosen


def _rank(kind: str) -> int:
    return _RANK.get(kind, len(_RANK))


def _change(kind: str) -> hubs.Change:
    return _CHANGES.get(kind, "updated")
