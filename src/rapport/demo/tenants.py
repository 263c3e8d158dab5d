"""The demo's second tenant: the agency that runs the card's rewards programme.

It shares the install and the public stream with the card issuer (the operator's tenant,
`default`), hears only the posts its own listening queries match, routes them by its own
rules into its own queue, and its people see only its cases. It shows in the demo what a
brand, an agency or a merchant gets from one install.
"""

from __future__ import annotations

import yaml

from rapport.actions.accounts import create_user
from rapport.actions.base import Actor, Context
from rapport.actions.rules import put_rules
from rapport.actions.tenants import create_tenant, put_config
from rapport.auth.passwords import hash_password
from rapport.auth.users import new_user
from rapport.route.rules import RuleSet
from rapport.store import Database
from rapport.store import tenants as store
from rapport.store.users import EmailTaken
from rapport.tenancy import OPERATOR

TENANT = "nova-rewards"
QUERIES = """queries:
  - id: rewards
    query: '#novacardrewards OR cashback OR points OR rewards'
"""
RULES = """rules:
  - id: drop-spam
    when: {intent: [spam]}
    then: {suppress: true}
  - id: rewards
    when: {query: '#novacardrewards OR cashback OR points OR rewards'}
    then: {route: rewards, tag: [rewards]}
"""
# email, name, role
ACCOUNTS = (
    ("rio@rewards.demo.rapport", "Rio (Nova Rewards)", "admin"),
    ("kim@rewards.demo.rapport", "Kim (Nova Rewards)", "agent"),
)


def ensure_demo_tenants(database: Database, password: str) -> list[tuple[str, str]]:
    """Create the rewards agency with its queries, rules and people, where missing; returns
    (email, role) of its accounts. Runs before the pipeline is built, which reads them."""
    context = Context(database)
    operator = Actor(OPERATOR)
    with database.reading() as conn:
        exists = store.find(conn, TENANT) is not None
    if not exists:
        create_tenant(context, operator, TENANT, "Nova Rewards", "agency")
        put_config(context, operator, TENANT, "queries", QUERIES, "demo")
        rules = RuleSet.parse(yaml.safe_load(RULES), source="demo rewards rules")
        put_rules(context, Actor(TENANT), RULES, rules, author="demo")
    hashed = hash_password(password)
    for email, name, role in ACCOUNTS:
        account = new_user(email=email, name=name, role=role, tenant=TENANT,
                           password_hash=hashed, teams=("rewards",), capacity=8)  # fmt: skip
        try:
            create_user(context, Actor(TENANT), account, via="demo")
        except EmailTaken:
            continue
    return [(email, role) for email, _, role in ACCOUNTS]
