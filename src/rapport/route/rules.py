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
      - id: night-shift
        when: {outside_business_hours: london_office, queue_load: {cards: ">=200"}}
        then: {route: overflow, acknowledge: received, assign: {skill: cards}, notify: true}

Rules are tried in order; every condition of a rule must hold. The first rule that
matches decides, unless it says `continue: true`, in which case its tags and priority
apply and the next rules are tried too. A post no rule routes goes to its intent's team.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import yaml

from rapport.errors import ConfigError
from rapport.listen.matcher import Facts, PostView, QuerySet, facts_of
from rapport.listen.query import URGENCY_LEVELS, QueryError
from rapport.records import Envelope, Factor, RoutingDecision
from rapport.route.conditions import (
    NoLoad,
    PostCheck,
    QueueLoad,
    all_of,
    calendar_check,
    load_check,
    looks_automated,
)
from rapport.route.templates import AckTemplates
from rapport.sla import BusinessCalendar, SlaConfig

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
    business_hours: str | None = None  # a calendar name: holds while it is open
    outside_business_hours: str | None = None
    queue_load: dict[str, str] | None = None  # queue -> ">=200": its open cases
    bot: bool | None = None  # the author looks automated (`conditions.looks_automated`)


class Assign(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    skill: str | None = None
    language: bool = True  # an agent who speaks the post's language


class Then(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    route: str | None = None
    tag: list[str] = []
    set_priority: float | None = None
    suppress: bool = False
    escalate: bool = False
    assign: Assign | None = None
    acknowledge: str | None = None  # a template id, answered in the post's language
    notify: bool = False  # raise a rule alert (to the alert webhook)


class Rule(msgspec.Struct, forbid_unknown_fields=True, frozen=True, rename={"go_on": "continue"}):
    id: str
    then: Then
    when: When = When()
    go_on: bool = False


class RuleFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    rules: list[Rule]


_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq,
}  # fmt: skip
_FLIPPED: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.le, "<=": operator.ge, ">": operator.lt, "<": operator.gt, "==": operator.eq,
}  # fmt: skip
# Posts share few combinations of language, intent, team, sentiment, urgency and network,
# so the rules each combination allows are remembered; emptied at this many combinations.
_PLAN_LIMIT = 10_000


@dataclass(frozen=True)
class Comparison:
    operator: str
    number: float

    def holds(self, value: float) -> bool:
        return _OPERATORS[self.operator](value, self.number)

    def test(self) -> Callable[[float], bool]:
        """`holds` as one call into C, for the per-post loop: `n <= value` is `value >= n`."""
        return functools.partial(_FLIPPED[self.operator], self.number)


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
    intents: frozenset[str] | None  # lower-cased, as the post's intent is
    extra: PostCheck | None  # business hours, queue load, bots

    def fits(self, facts: Facts, network: str) -> bool:
        """Whether the conditions on what was said of the post hold (the rest vary per post)."""
        when = self.rule.when
        return (
            (when.lang is None or facts.lang in when.lang)
            and (self.intents is None or (facts.intent or "") in self.intents)
            and (when.team is None or facts.team in when.team)
            and (when.sentiment is None or facts.sentiment in when.sentiment)
            and (when.network is None or network in when.network)
            and (when.urgency is None or _urgency_holds(when.urgency, facts.urgency))
        )


# What a rule still checks per post once its plan admits it: (rule, query?, priority
# test, followers test, other checks). Plain tuples: the loop over them is the hot path.
_Step = tuple[
    Rule, bool, Callable[[float], bool] | None, Callable[[float], bool] | None, PostCheck | None
]


class RuleSet:
    """Validated, compiled rules; `decide` gives each envelope its routing decision.

    The conditions on a post's language, intent, team, sentiment, urgency and network
    are settled once per combination of those values: its *plan* is the rules, in their
    order, that the combination allows. A post then walks its plan only, checking the
    query, priority and followers conditions; the first rule that holds still decides.
    """

    def __init__(
        self,
        rules: Sequence[Rule],
        *,
        source: str = "rules",
        calendars: Mapping[str, BusinessCalendar] | None = None,
        load: QueueLoad | None = None,
    ) -> None:
        self._given, self._source = list(rules), source
        self.calendars = dict(calendars if calendars is not None else SlaConfig.default().calendars)
        # Queue load is read when a post is routed; the case desk keeps it current.
        self.load: QueueLoad = load if load is not None else NoLoad()
        templates = AckTemplates.default()
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
            if rule.then.acknowledge is not None and rule.then.acknowledge not in templates:
                raise ConfigError(
                    f"{where}: acknowledge template {rule.then.acknowledge!r} is unknown; use "
                    f"one of {', '.join(templates.names())}"
                )
            compiled.append(
                _Compiled(
                    rule,
                    _comparison(when.priority, f"{where}, priority") if when.priority else None,
                    _comparison(when.followers, f"{where}, followers") if when.followers else None,
                    frozenset(i.lower() for i in when.intent) if when.intent is not None else None,
                    self._extra(when, where),
                )
            )
        try:
            self.queries = QuerySet(queries)
        except QueryError as error:
            raise ConfigError(f"{source}: {error}") from None
        self.rules = compiled
        self._plans: dict[tuple[Facts, str], tuple[_Step, ...]] = {}

    def _extra(self, when: When, where: str) -> PostCheck | None:
        checks: list[PostCheck] = []
        if when.business_hours is not None:
            checks.append(calendar_check(when.business_hours, True, self.calendars, where))
        if when.outside_business_hours is not None:
            name = when.outside_business_hours
            checks.append(calendar_check(name, False, self.calendars, where))
        if when.queue_load:
            limits = {
                queue: _comparison(text, f"{where}, queue_load {queue!r}").test()
                for queue, text in when.queue_load.items()
            }
            checks.append(load_check(limits, lambda: self.load))
        if when.bot is not None:
            wanted = when.bot
            checks.append(lambda post: looks_automated(post) is wanted)
        return all_of(checks)

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled queries are closures: copies for another process compile them there.
        # A copy in another process sees the queue load as it was when it was copied.
        return (_rebuild, (self._given, self._source, self.calendars, self.load))

    def __len__(self) -> int:
        return len(self.rules)

    @classmethod
    def from_file(
        cls,
        path: Path,
        *,
        calendars: Mapping[str, BusinessCalendar] | None = None,
        load: QueueLoad | None = None,
    ) -> RuleSet:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise ConfigError(f"cannot read the rules file {path}: {error}") from error
        return cls.parse(data, source=str(path), calendars=calendars, load=load)

    @classmethod
    def parse(
        cls,
        data: Any,
        *,
        source: str = "rules",
        calendars: Mapping[str, BusinessCalendar] | None = None,
        load: QueueLoad | None = None,
    ) -> RuleSet:
        try:
            parsed = msgspec.convert(data, RuleFile)
        except msgspec.ValidationError as error:
            raise ConfigError(f"{source}: {error}") from None
        return cls(parsed.rules, source=source, calendars=calendars, load=load)

    def plan(self, facts: Facts, network: str) -> tuple[_Step, ...]:
        """The rules, in order, whose conditions on these facts hold, with what remains."""
        key = (facts, network)
        found = self._plans.get(key)
        if found is None:
            found = tuple(
                (
                    c.rule,
                    c.rule.when.query is not None,
                    c.priority.test() if c.priority is not None else None,
                    c.followers.test() if c.followers is not None else None,
                    c.extra,
                )
                for c in self.rules
                if c.fits(facts, network)
            )
            if len(self._plans) >= _PLAN_LIMIT:
                self._plans.clear()
            self._plans[key] = found
        return found

    def decide(self, envelope: Envelope) -> tuple[RoutingDecision, Factor | None]:
        """The routing decision, and the priority change a rule made (as a factor), if any."""
        post, enrichment = envelope.post, envelope.enrichment
        if not self.rules:  # no workflow: every post goes to its intent's team
            team = enrichment.team if enrichment is not None else None
            return RoutingDecision(team=team, queue=team), None
        facts = facts_of(post, enrichment)
        scored = envelope.priority.score if envelope.priority is not None else 0.0
        priority = scored
        followers = post.author.followers
        matched_queries: set[str] | None = None
        setter: str | None = None
        tags: list[str] = []
        actions = _Actions()
        for rule, has_query, priority_holds, followers_holds, extra in self.plan(
            facts, post.network
        ):
            if priority_holds is not None and not priority_holds(priority):
                continue
            if followers_holds is not None and not followers_holds(followers):
                continue
            if extra is not None and not extra(post):
                continue
            if has_query:
                if matched_queries is None:
                    # Most posts hold no rule query's words: then no view is needed.
                    if self.queries.candidates_in(post.text.lower()):
                        view = PostView.of(post, enrichment, facts)
                        matched_queries = set(self.queries.match(view))
                    else:
                        matched_queries = set()
                if rule.id not in matched_queries:
                    continue
            then = rule.then
            tags += then.tag
            if then.escalate:
                tags.append("escalated")
            if then.set_priority is not None:
                priority, setter = then.set_priority, rule.id
            actions.take(then, facts.lang)
            if rule.go_on:
                continue
            team = then.route or facts.team
            decision = RoutingDecision(
                rule_id=rule.id,
                team=team,
                queue=team,
                tags=tuple(dict.fromkeys(tags)),
                suppressed=then.suppress,
                skills=actions.skills(),
                acknowledge=actions.acknowledge,
                notify=actions.notify,
            )
            return decision, _adjustment(setter, scored, priority)
        decision = RoutingDecision(
            team=facts.team,
            queue=facts.team,
            tags=tuple(dict.fromkeys(tags)),
            skills=actions.skills(),
            acknowledge=actions.acknowledge,
            notify=actions.notify,
        )
        return decision, _adjustment(setter, scored, priority)


class _Actions:
    """Assignment, acknowledgement and notification gathered from the rules that matched
    (a `continue` rule's actions apply too; a later acknowledgement replaces an earlier)."""

    __slots__ = ("_skills", "acknowledge", "notify")

    def __init__(self) -> None:
        self._skills: list[str] = []
        self.acknowledge: str | None = None
        self.notify = False

    def take(self, then: Then, lang: str) -> None:
        if then.assign is not None:
            if then.assign.skill:
                self._skills.append(then.assign.skill)
            if then.assign.language and lang != "und":
                self._skills.append(f"lang:{lang}")
        if then.acknowledge is not None:
            self.acknowledge = then.acknowledge
        self.notify = self.notify or then.notify

    def skills(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self._skills))


def _rebuild(
    rules: list[Rule], source: str, calendars: dict[str, BusinessCalendar], load: QueueLoad
) -> RuleSet:
    return RuleSet(rules, source=source, calendars=calendars, load=load)


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
