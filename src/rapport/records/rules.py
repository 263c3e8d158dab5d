"""Saved versions of a tenant's workflow rules, and what saving one did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RuleVersion:
    """One saved rules file, whole, as it was given."""

    version: int
    tenant: str
    body: str
    author: str
    note: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RuleVersionSummary:
    """A version as the list of versions shows it: who saved it, when and why."""

    version: int
    author: str
    note: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NoRulesSaved:
    """A tenant that never saved rules routes by none."""

    version: None = None
    body: str = "rules: []\n"


@dataclass(frozen=True, slots=True)
class RulesPut:
    """The version the rules were saved as, how many rules it holds, and whether every
    running process routes by it now. When not yet, `GET /api/v1/config/status?generation=`
    with this `generation` says when."""

    version: int
    rules: int
    in_force: bool
    generation: int = 0


@dataclass(frozen=True, slots=True)
class DryRunSummary:
    """What rules would have done to the stored posts since `since`: how many each rule
    caught, where they would have gone, and a few examples per rule."""

    since: datetime
    posts: int
    by_rule: dict[str, int]
    by_queue: dict[str, int]
    suppressed: int
    examples: dict[str, list[str]]
