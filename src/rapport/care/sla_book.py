"""The SLA policies cases run under, and a case's SLA status from its stored events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from rapport.records.sla import CaseClock, ClockReading, ClockVerdicts
from rapport.sla import SlaClock, SlaConfig, SlaEvent, SlaPolicy, SlaStatus

# A clock moving into one of these states is recorded once, as an event, and a breach
# escalates the case: the escalation is what puts it in front of a supervisor.
_TRANSITION_EVENTS = {"warning": "sla_warning", "breached": "sla_breach"}


class SlaBook:
    def __init__(self, config: SlaConfig) -> None:
        self.config = config

    @classmethod
    def default(cls) -> SlaBook:
        return cls(SlaConfig.default())

    @classmethod
    def load(cls, path: Path) -> SlaBook:
        return cls(SlaConfig.load(path))

    def policy_name(self, team: str | None) -> str:
        return self.config.policy_for(team).name

    def policy(self, name: str, team: str | None = None) -> SlaPolicy:
        """The named policy; a case whose policy was since removed falls back to its team's."""
        found = self.config.policies.get(name)
        return found if found is not None else self.config.policy_for(team)

    def evaluate(
        self, policy: str, events: Sequence[tuple[datetime, str]], now: datetime
    ) -> SlaStatus:
        clock = SlaClock(self.policy(policy), [SlaEvent(at=at, kind=kind) for at, kind in events])
        return clock.status(now)

    def judge(
        self,
        clocks: Iterable[CaseClock],
        history: Mapping[int, Sequence[tuple[datetime, str]]],
        now: datetime,
    ) -> ClockVerdicts:
        """Judge these clocks from their cases' events at `now`: what to write, what to record."""
        readings: list[ClockReading] = []
        transitions: list[tuple[int, str]] = []
        for clock in clocks:
            policy = clock.policy or self.policy_name(clock.team)
            status = self.evaluate(policy, history.get(clock.case_id, ()), now)
            # A resolved case's clock changes no more; others are looked at again when a
            # warning or a deadline comes (`next_change`), which is all the watch reads.
            next_change = None if clock.resolved else status.next_change
            event = _TRANSITION_EVENTS.get(status.state)
            transition = event is not None and status.state != clock.state
            if transition and event is not None:
                transitions.append((clock.case_id, event))
            unchanged = (
                not transition
                and status.state == clock.state
                and clock.next_due == status.next_due
                and clock.next_change == next_change
            )
            if not unchanged:
                readings.append(ClockReading(
                    clock.case_id, status.state, status.next_due, next_change,
                    escalate=transition and event == "sla_breach",
                ))  # fmt: skip
        return ClockVerdicts(tuple(readings), tuple(transitions))


class SlaBooks:
    """Each tenant's SLA book; a tenant that has none runs under the install's. One object is
    shared by everything that judges clocks, and a new configuration is put in it in place."""

    def __init__(self, default: SlaBook, by_tenant: Mapping[str, SlaBook] | None = None) -> None:
        self.default = default
        self.by_tenant: Mapping[str, SlaBook] = dict(by_tenant or {})

    def book(self, tenant: str) -> SlaBook:
        return self.by_tenant.get(tenant, self.default)

    def replace(self, by_tenant: Mapping[str, SlaBook]) -> None:
        self.by_tenant = dict(by_tenant)  # one assignment: readers see the old or the new

    def judge(
        self,
        clocks: Iterable[CaseClock],
        history: Mapping[int, Sequence[tuple[datetime, str]]],
        now: datetime,
    ) -> ClockVerdicts:
        """Each clock judged by its tenant's book."""
        by_tenant: dict[str, list[CaseClock]] = {}
        for clock in clocks:
            by_tenant.setdefault(clock.tenant, []).append(clock)
        readings: list[ClockReading] = []
        transitions: list[tuple[int, str]] = []
        for tenant, group in by_tenant.items():
            verdicts = self.book(tenant).judge(group, history, now)
            readings.extend(verdicts.readings)
            transitions.extend(verdicts.transitions)
        return ClockVerdicts(tuple(readings), tuple(transitions))


# What judges clocks: one book for every case, or each tenant's.
SlaJudge = SlaBook | SlaBooks
