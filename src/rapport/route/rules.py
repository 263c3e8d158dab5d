"""Workflow rules: ordered conditions -> actions, from YAML, checked when they are loaded.

    rules:
      - id: fraud-first
        when:
          query: fraud OR scam OR hacked OR "not me"   # a listening query
          urgency: ">=high"
          priority: ">=50"
          lang: [en, es]
        then:
          route: fraud_and_security
          tag: [fraud]
          set_priority: 95
      - id: drop-spam
        when: {intent: [spam]}
        then: {suppress: true}

Rules are tried in order; every condition of a rule must hold. The first rule that
matches decides, unless it says `continue: true`, in which case its tags and priority
apply and the next rules are tried too. A post no rule routes goes to its intent's team.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import yaml

from rapport.errors import ConfigError
from rapport.listen.matcher import PostView, QuerySet
from rapport.listen.query import URGENCY_LEVELS, QueryError
from rapport.records import Envelope, Factor, RoutingDecision

_COMPARISON = re.compile(r"^\s*(>=|<=|>|<|==)?\s*(-?\d+(?:\.\d+)?)\s*$")


class When(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    query: str | None = None
    lang: list[str] | None = None
    intent: list[str] | None = None
    team: list[str] | None = None
    sentiment: list[str] | None = None
    urgency: str | None = None  # a level, or >=LEVEL
    priority: str | None = None  # ">=50", "<20", ...
    followers: str | None = None
    network: list[str] | None = None


class Then(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    route: str | None = None
    tag: list[str] = []
    set_priority: float | None = None
    suppress: bool = False
    escalate: bool = False


class Rule(msgspec.Struct, forbid_unknown_fields=True, frozen=True, rename={"go_on": "continue"}):
    id: str
    then: Then
    when: When = When()
    go_on: bool = False


class RuleFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    rules: list[Rule]


@dataclass(frozen=True)
class Comparison:
    operator: str
    number: float

    def holds(self, value: float) -> bool:
        n = self.number
        return {
            ">=": value >= n, "<=": value <= n, ">": value > n, "<": value < n, "==": value == n,
        }[self.operator]  # fmt: skip


def _comparison(text: str, where: str) -> Comparison:
    match = _COMPARISON.match(text)
    if match is None:
        raise ConfigError(f"{where}: {text!r} is not a comparison such as '>=50' or '<10'")
    return Comparison(match.group(1) or "==", float(match.group(2)))


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    priority: Comparison | None
    followers: Comparison | None


class RuleSet:
    """Validated, compiled rules; `decide` gives each envelope its routing decision."""

    def __init__(self, rules: Sequence[Rule], *, source: str = "rules") -> None:
        self._given, self._source = list(rules), source
        seen: set[str] = set()
        compiled = []
        queries = {}
        for index, rule in enumerate(rules):
            where = f"{source}: rule {index + 1} ({rule.id!r})"
            if rule.id in seen:
                raise ConfigError(f"{where}: the id is used twice; give every rule its own id")
            seen.add(rule.id)
            when = rule.when
            if when.urgency is not None and when.urgency.removeprefix(">=") not in URGENCY_LEVELS:
                raise ConfigError(
                    f"{where}: urgency {when.urgency!r}; use one of {', '.join(URGENCY_LEVELS)}"
                    " or >=LEVEL"
                )
            if when.query is not None:
                queries[rule.id] = when.query
            compiled.append(
                _Compiled(
                    rule,
                    _comparison(when.priority, f"{where}, priority") if when.priority else None,
                    _comparison(when.followers, f"{where}, followers") if when.followers else None,
                )
            )
        try:
            self.queries = QuerySet(queries)
        except QueryError as error:
            raise ConfigError(f"{source}: {error}") from None
        self.rules = compiled

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled queries are closures: copies for another process compile them there.
        return (_rebuild, (self._given, self._source))

    def __len__(self) -> int:
        return len(self.rules)

    @classmethod
    def load(cls, path: Path) -> RuleSet:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise ConfigError(f"cannot read the rules file {path}: {error}") from error
        return cls.parse(data, source=str(path))

    @classmethod
    def parse(cls, data: Any, *, source: str = "rules") -> RuleSet:
        try:
            parsed = msgspec.convert(data, RuleFile)
        except msgspec.ValidationError as error:
            raise ConfigError(f"{source}: {error}") from None
        return cls(parsed.rules, source=source)

    def decide(self, envelope: Envelope) -> tuple[RoutingDecision, Factor | None]:
        """The routing decision, and the priority change a rule made (as a factor), if any."""
        post, enrichment = envelope.post, envelope.enrichment
        if not self.rules:  # no workflow: every post goes to its intent's team
            team = enrichment.team if enrichment is not None else None
            return RoutingDecision(team=team, queue=team), None
        view = PostView.of(post, enrichment)
        matched_queries = set(self.queries.match(view)) if len(self.queries) else set()
        scored = envelope.priority.score if envelope.priority is not None else 0.0
        priority = scored
        setter: str | None = None
        tags: list[str] = []
        for compiled in self.rules:
            rule = compiled.rule
            if not self._holds(compiled, view, priority, matched_queries, post.network):
                continue
            tags += rule.then.tag + (["escalated"] if rule.then.escalate else [])
            if rule.then.set_priority is not None:
                priority, setter = rule.then.set_priority, rule.id
            if rule.go_on:
                continue
            team = rule.then.route or view.team
            decision = RoutingDecision(
                rule_id=rule.id,
                team=team,
                queue=team,
                tags=tuple(dict.fromkeys(tags)),
                suppressed=rule.then.suppress,
            )
            return decision, _adjustment(setter, scored, priority)
        decision = RoutingDecision(team=view.team, queue=view.team, tags=tuple(dict.fromkeys(tags)))
        return decision, _adjustment(setter, scored, priority)

    def _holds(
        self, compiled: _Compiled, view: PostView, priority: float, queries: set[str], network: str
    ) -> bool:
        when = compiled.rule.when
        checks = (
            when.query is None or compiled.rule.id in queries,
            when.lang is None or view.lang in when.lang,
            when.intent is None or (view.intent or "") in {i.lower() for i in when.intent},
            when.team is None or view.team in when.team,
            when.sentiment is None or view.sentiment in when.sentiment,
            when.network is None or network in when.network,
            compiled.priority is None or compiled.priority.holds(priority),
            compiled.followers is None or compiled.followers.holds(view.followers),
            when.urgency is None or _urgency_holds(when.urgency, view.urgency),
        )
        return all(checks)


def _rebuild(rules: list[Rule], source: str) -> RuleSet:
    return RuleSet(rules, source=source)


def _adjustment(rule_id: str | None, scored: float, wanted: float) -> Factor | None:
    """A factor that takes the score to what a rule set, so the factors still add up."""
    if rule_id is None or wanted == scored:
        return None
    return Factor(
        name="rule",
        value=1.0,
        weight=round(wanted - scored, 2),
        reason=f"rule {rule_id!r} set the priority to {wanted:g}",
    )


def _urgency_holds(wanted: str, level: str | None) -> bool:
    if level is None:
        return False
    if wanted.startswith(">="):
        return URGENCY_LEVELS.index(level) >= URGENCY_LEVELS.index(wanted[2:])
    return level == wanted
