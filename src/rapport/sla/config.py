"""SLA calendars and policies from YAML, checked when loaded; `DEFAULT_YAML` without a file.

    calendars:
      london_office:
        timezone: Europe/London
        hours: {mon-fri: "09:00-17:30"}
        holidays: [2026-12-25, 2026-12-26]
    policies:
      standard: {calendar: london_office, first_response: 4h, next_response: 8h, resolution: 3d}
      urgent: {calendar: always, first_response: 15m, resolution: 4h, warn_at: 0.5}
    teams: {fraud_and_security: urgent, default: standard}

The calendar `always` (24/7) exists unless the file defines its own, and a policy without a
calendar uses it. `teams` maps a team (a queue) to a policy; `default` covers every other
team, so a queue a workflow rule invents still gets a policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import yaml

from rapport.errors import ConfigError
from rapport.sla.calendar import BusinessCalendar
from rapport.sla.durations import parse_duration
from rapport.sla.policy import TARGETS, SlaPolicy

ALWAYS = "always"
DEFAULT_TEAM = "default"
_T = TypeVar("_T")

DEFAULT_YAML = """
calendars:
  always: {always_open: true}
policies:
  urgent:   {calendar: always, first_response: 15m, next_response: 30m, resolution: 4h}
  high:     {calendar: always, first_response: 30m, next_response: 1h, resolution: 1d}
  standard: {calendar: always, first_response: 1h, next_response: 2h, resolution: 2d}
  disputes: {calendar: always, first_response: 2h, next_response: 4h, resolution: 5d}
  low:      {calendar: always, first_response: 4h, next_response: 8h, resolution: 3d}
teams:
  fraud_and_security: urgent
  account_access: high
  cards: standard
  payments: standard
  disputes: disputes
  rewards_and_offers: low
  general: low
  default: standard
"""


class CalendarSpec(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    timezone: str = "UTC"
    hours: dict[str, str | list[str]] = {}
    holidays: list[date] = []
    always_open: bool = False


class PolicySpec(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    calendar: str = ALWAYS
    first_response: str | None = None
    next_response: str | None = None
    resolution: str | None = None
    warn_at: float = 0.75


class SlaFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    # Entries are checked one by one, so that an error names the calendar or the policy.
    calendars: dict[str, Any] = {}
    policies: dict[str, Any] = {}
    teams: dict[str, str] = {}


@dataclass(frozen=True)
class SlaConfig:
    """Policies by name, and which one each team's cases run under."""

    calendars: Mapping[str, BusinessCalendar]
    policies: Mapping[str, SlaPolicy]
    teams: Mapping[str, str]
    source: str = "built-in"

    def __post_init__(self) -> None:
        known = ", ".join(sorted(self.policies)) or "none"
        for team, policy in self.teams.items():
            if policy not in self.policies:
                raise ConfigError(
                    f"{self.source}: teams: {team!r} uses policy {policy!r}, which is not"
                    f" defined; define it under policies: or use one of: {known}"
                )
        if DEFAULT_TEAM not in self.teams:
            raise ConfigError(
                f"{self.source}: teams: no {DEFAULT_TEAM!r} entry; add `{DEFAULT_TEAM}: <policy>`"
                f" (one of: {known}) for the cases of every team not listed"
            )

    def policy_for(self, team: str | None) -> SlaPolicy:
        """The policy of `team`'s cases; teams not listed (or no team) get the default."""
        name = self.teams.get(team) if team else None
        return self.policies[name or self.teams[DEFAULT_TEAM]]

    @classmethod
    def default(cls) -> SlaConfig:
        """24/7 clocks, tighter for fraud and account access, until a team writes its own."""
        return _default()

    @classmethod
    def load(cls, path: Path | None) -> SlaConfig:
        if path is None:
            return cls.default()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            raise ConfigError(f"cannot read the SLA file {path}: {error}") from error
        return cls.parse(data, source=str(path))

    @classmethod
    def parse(cls, data: Any, *, source: str = "sla") -> SlaConfig:
        if data is None:
            raise ConfigError(f"{source}: the file is empty; give it policies: and teams:")
        try:
            parsed = _convert(data, SlaFile, "")
            calendars = {ALWAYS: BusinessCalendar.always()} | {
                name: _calendar(name, _convert(spec, CalendarSpec, f"calendar {name!r}"))
                for name, spec in parsed.calendars.items()
            }
            policies = {
                name: _policy(name, _convert(spec, PolicySpec, f"policy {name!r}"), calendars)
                for name, spec in parsed.policies.items()
            }
        except ConfigError as error:
            raise ConfigError(f"{source}: {error}") from None
        return cls(calendars=calendars, policies=policies, teams=parsed.teams, source=source)


def _convert(data: Any, kind: type[_T], where: str) -> _T:
    try:
        return msgspec.convert(data, kind)
    except msgspec.ValidationError as error:
        message = str(error).replace("`$.", "`")
        raise ConfigError(f"{where}: {message}" if where else message) from None


@cache
def _default() -> SlaConfig:
    return SlaConfig.parse(yaml.safe_load(DEFAULT_YAML), source="built-in SLA config")


def _calendar(name: str, spec: CalendarSpec) -> BusinessCalendar:
    if not spec.always_open:
        return BusinessCalendar.weekly(spec.timezone, spec.hours, spec.holidays, name=name)
    if spec.hours:
        raise ConfigError(f"calendar {name!r}: give either hours or always_open: true, not both")
    holidays = frozenset(spec.holidays)
    return BusinessCalendar(spec.timezone, always_open=True, holidays=holidays, name=name)


def _policy(name: str, spec: PolicySpec, calendars: Mapping[str, BusinessCalendar]) -> SlaPolicy:
    calendar = calendars.get(spec.calendar)
    if calendar is None:
        raise ConfigError(
            f"policy {name!r}: calendar {spec.calendar!r} is not defined; define it under"
            f" calendars: or use one of: {', '.join(sorted(calendars))}"
        )
    limits: dict[str, timedelta | None] = {}
    for target in TARGETS:
        text: str | None = getattr(spec, target)
        try:
            limits[target] = parse_duration(text) if text is not None else None
        except ConfigError as error:
            raise ConfigError(f"policy {name!r}, {target}: {error}") from None
    if not any(limits.values()):
        raise ConfigError(
            f"policy {name!r} measures nothing; give it at least one of {', '.join(TARGETS)}"
        )
    return SlaPolicy(
        name=name,
        calendar=calendar,
        first_response=limits["first_response"],
        next_response=limits["next_response"],
        resolution=limits["resolution"],
        warn_at=spec.warn_at,
    )
