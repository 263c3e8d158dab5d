"""The SLA watch: every few seconds, re-judge running clocks; warn, and escalate on breach.

Warnings and breaches are recorded once as case events (`store/case_events.py` compares the
new state with the stored one). A breach also escalates the case and raises an alert, which
the webhook delivers and the console shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa

from rapport.care.sla_book import SlaBook
from rapport.periodic import Periodic
from rapport.records import Alert
from rapport.store import Database, schema
from rapport.store.alerts import insert_alerts
from rapport.store.case_events import sweep_sla
from rapport.store.locks import exclusive


def sweep(conn: sa.Connection, book: SlaBook, now: datetime, *, deliver: bool) -> list[Alert]:
    """One pass: record SLA transitions; each breach becomes an alert too."""
    transitions = sweep_sla(conn, book, now)
    breached = [case_id for case_id, event in transitions if event == "sla_breach"]
    if not breached:
        return []
    cases = schema.cases
    rows = [
        row
        for start in range(0, len(breached), 500)  # drivers cap the parameters of one query
        for row in conn.execute(
            sa.select(cases.c.id, cases.c.team, cases.c.customer_handle).where(
                cases.c.id.in_(breached[start : start + 500])
            )
        )
    ]
    alerts = [
        Alert(
            kind="sla_breach",
            subject_kind="case",
            subject=str(row.id),
            window_start=now,
            detected_at=now,
            count=1,
            expected=0.0,
            z=0.0,
            message=(
                f"SLA breached: case {row.id} in {row.team} (customer @{row.customer_handle}) "
                "has passed its deadline and is escalated"
            ),
        )
        for row in rows
    ]
    insert_alerts(conn, alerts, deliver=deliver)
    return alerts


class SlaWatch(Periodic):
    def __init__(
        self,
        database: Database,
        book: SlaBook,
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
