"""Putting a tenant's workflow rules: save them as its newest version, audit the change and
announce it. Every process puts them in force within seconds (`tenancy.live`).

Through the API (`PUT /api/v1/rules`) and at start-up (the rules file), so both leave the
same trace.
"""

from __future__ import annotations

from rapport.actions.base import Actor, Change, Context, apply
from rapport.records.rules import RulesPut
from rapport.route.rules import RuleSet
from rapport.store import rule_versions, tenants


def put_rules(
    context: Context,
    actor: Actor,
    body: str,
    rules: RuleSet,
    *,
    author: str = "",
    note: str = "",
) -> RulesPut:
    """Save `body` (already checked and compiled as `rules`) as `actor`'s tenant's newest
    version; saving the newest again changes nothing and leaves no audit entry. The answer
    says the rules are not in force yet: the caller learns when they are."""
    tenant = actor.tenant

    def job(change: Change) -> tuple[int, int]:
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
        return version, tenants.generation(change.conn)

    version, generation = apply(context, actor, job)
    return RulesPut(version=version, rules=len(rules), in_force=False, generation=generation)
