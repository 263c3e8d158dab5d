"""Dry-run: what a rule set would have caught in stored history, and where it would have sent it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapport.records import Envelope, RoutingDecision
from rapport.route.rules import RuleSet


@dataclass
class DryRun:
    posts: int = 0
    decisions: dict[int, RoutingDecision] = field(default_factory=dict)  # stored post id ->
    by_rule: Counter[str] = field(default_factory=Counter)
    by_queue: Counter[str] = field(default_factory=Counter)
    suppressed: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)


def dry_run(rules: RuleSet, history: Iterable[Envelope], examples: int = 3) -> DryRun:
    report = DryRun()
    for envelope in history:
        decision, _ = rules.decide(envelope)
        report.posts += 1
        if envelope.stored_id is not None:
            report.decisions[envelope.stored_id] = decision
        rule = decision.rule_id or "(no rule: intent's team)"
        report.by_rule[rule] += 1
        report.by_queue[decision.queue or "(none)"] += 1
        report.suppressed += decision.suppressed
        shown = report.examples.setdefault(rule, [])
        if len(shown) < examples:
            shown.append(envelope.post.text[:120])
    return report
