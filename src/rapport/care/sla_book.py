"""The SLA policies cases run under, and a case's SLA status from its stored events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from rapport.sla import SlaClock, SlaConfig, SlaEvent, SlaPolicy, SlaStatus


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
