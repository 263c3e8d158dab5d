"""Putting a tenant's workflow rules: save them as its newest version, audit the change,
announce it, and put them in force in this process when it routes for that tenant.

Through the API (`PUT /api/v1/rules`) and at start-up (the rules file), so both leave the
same trace.
"""

from __future__ import annotations

from typing import Protocol

from rapport.actions.base import Actor, Change, Context, apply
from rapport.records.rules import RulesPut
from rapport.route.rules import RuleSet
from rapport.store import rule_versions


class Routing(Protocol):
    """What routes this process's posts: the tenant it routes for, and its rules."""

    @property
    def tenant(self) -> str: ...

    def put_in_force(self, rules: RuleSet) -> None: ...


def put_rules(
    context: Context,
    actor: Actor,
    body: str,
    rules: RuleSet,
    *,
    author: str = "",
    note: str = "",
    routing: Routing | None = None,
) -> RulesPut:
    """Save `body` (already checked and compiled as `rules`) as `actor`'s tenant's newest
    version; saving the newest again changes nothing and leaves no audit entry."""
    tenant = actor.tenant

    def job(change: Change) -> int:
        before = rule_versions.latest_version(change.conn, tenant=tenant)
        version = rule_versions.save_version(
            change.conn, body, author=author, note=note, tenant=tenant, at=change.now
        )
        if before is None or before.version != version:
            change.audit(
                "rules.save", f"rules:{version}",
                None if before is None else {"version": before.version},
                {"version": version, "note": note},
            )  # fmt: skip
            change.publish("rules.saved", version=version)
        return version

    version = apply(context, actor, job)
    # Only after the commit: a process must never route by rules that were rolled back.
    in_force = routing is not None and routing.tenant == tenant
    if routing is not None and in_force:
        routing.put_in_force(rules)
    return RulesPut(version=version, rules=len(rules), in_force=in_force)
