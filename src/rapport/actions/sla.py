"""The SLA clock: judge cases' clocks again from their events, store the verdict, record each
warning and breach once, and the watch that does it every few seconds."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from rapport.care.sla_book import SlaJudge
from rapport.care.watch import breach_alerts
from rapport.periodic import Periodic
from rapport.records import Alert
from rapport.store import Connection, Database
from rapport.store.alerts import insert_alerts
from rapport.store.case_events import (
    add_events,
    breached_cases,
    clocks_due,
    clocks_of,
    events_of,
    write_clocks,
)
from rapport.store.locks import exclusive


def refresh_sla(
    conn: Connection, book: SlaJudge, case_ids: Iterable[int], now: datetime | None = None
) -> list[tuple[int, str]]:
    """Recompute the SLA state and next deadline of these cases from their events.

    Returns the (case id, event) transitions into warning or breach that this call recorded.
    """
    ids = sorted(set(case_ids))
    if not ids:
        return []
    moment = now or datetime.now(UTC)
    verdicts = book.judge(clocks_of(conn, ids), events_of(conn, ids), moment)
    write_clocks(conn, verdicts.readings)
    add_events(conn, [(case_id, moment, event, "sla") for case_id, event in verdicts.transitions])
    return list(verdicts.transitions)


def sweep_sla(
    conn: Connection, book: SlaJudge, now: datetime, limit: int = 5000
) -> list[tuple[int, str]]:
    """Re-check the clocks due to change by `now`; run it every few seconds. At most `limit`
    cases a pass, so one pass never holds the writer for long."""
    return refresh_sla(conn, book, clocks_due(conn, now, limit), now)


def sweep(conn: Connection, book: SlaJudge, now: datetime, *, deliver: bool) -> list[Alert]:
    """One pass of the watch: record SLA transitions; each breach becomes an alert too."""
    transitions = sweep_sla(conn, book, now)
    breached = [case_id for case_id, event in transitions if event == "sla_breach"]
    if not breached:
        return []
    alerts = breach_alerts(breached_cases(conn, breached), now)
    insert_alerts(conn, alerts, deliver=deliver)
    return alerts


class SlaWatch(Periodic):
    def __init__(
        self,
        database: Database,
        book: SlaJudge,
        *,
        interval: float = 10.0,
        deliver: bool = False,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__("sla-watch", interval)
        self.database, self.book, self.deliver = database, book, deliver
        self._clock = clock or (lambda: datetime.now(UTC))

    def run_once(self) -> list[Alert]:
        """One sweep, unless another process's watch is sweeping the same database now."""
        now = self._clock()
        with exclusive(self.database.engine, "sla watch") as mine:
            if not mine:
                return []
            return self.database.write(
                lambda conn: sweep(conn, self.book, now, deliver=self.deliver)
            )
