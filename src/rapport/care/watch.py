"""The SLA watch's alerts: a breach escalates its case and raises an alert, which the webhook
delivers and the console shows.

Every few seconds the watch (`rapport.actions.sla.SlaWatch`) re-judges running clocks;
warnings and breaches are recorded once as case events, since the verdict is compared with
the stored state.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from rapport.records import Alert
from rapport.records.sla import BreachedCase


def breach_alerts(cases: Iterable[BreachedCase], now: datetime) -> list[Alert]:
    return [
        Alert(
            kind="sla_breach",
            subject_kind="case",
            subject=str(case.case_id),
            window_start=now,
            detected_at=now,
            count=1,
            expected=0.0,
            z=0.0,
            message=(
                f"SLA breached: case {case.case_id} in {case.team} (customer "
                f"@{case.customer_handle}) has passed its deadline and is escalated"
            ),
        )
        for case in cases
    ]
