"""Putting rules: one version, its audit entry and its announcement; the process routes by
them only when it routes for that tenant, and only once they are committed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import yaml

from rapport.actions.base import Actor, Context, Event
from rapport.actions.rules import put_rules
from rapport.records.rules import RulesPut
from rapport.route.rules import RuleSet
from rapport.store import Database
from rapport.store.audit import list_entries
from rapport.store.rule_versions import latest_version

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
BODY = "rules:\n  - id: cards\n    when: {query: card}\n    then: {route: cards}\n"


@dataclass
class Heard:
    events: list[Event] = field(default_factory=list)

    def publish_events(self, events: Sequence[Event]) -> None:
        self.events.extend(events)


def test_putting_rules_saves_audits_and_announces(database: Database) -> None:
    heard = Heard()
    context = Context(database, heard, clock=lambda: NOW)
    rules = RuleSet.parse(yaml.safe_load(BODY))
    actor = Actor("acme", user_id=None, ip="192.0.2.9")

    put = put_rules(context, actor, BODY, rules, author="sam", note="desk")

    # In force is for the caller to learn: no process has reloaded inside the action.
    assert put == RulesPut(version=put.version, rules=1, in_force=False, generation=put.generation)
    assert put.generation > 0
    assert heard.events == [Event("acme", "rules.saved", {"version": put.version})]
    with database.reading() as conn:
        saved = latest_version(conn, tenant="acme")
        (entry,) = list_entries(conn, "acme")
    assert saved is not None
    assert (saved.body, saved.author, saved.created_at) == (BODY, "sam", NOW)
    assert (entry.action, entry.subject) == ("rules.save", f"rules:{put.version}")

    again = put_rules(context, actor, BODY, rules)
    assert again.version == put.version
    assert len(heard.events) == 1  # the same rules again are no change to announce
    with database.reading() as conn:
        assert len(list_entries(conn, "acme")) == 1
