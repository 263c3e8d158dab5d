"""The demo's care team: accounts to sign in to the console with, one per role.

They share one password, printed when the demo starts, because the demo runs on the user's
own machine for the user alone. A real deployment creates its accounts with
`rapport users create ... --password-stdin`.
"""

from __future__ import annotations

from rapport.actions.accounts import SYSTEM, create_user
from rapport.actions.base import Context
from rapport.auth.passwords import hash_password
from rapport.auth.users import new_user
from rapport.nlp.intent import TEAMS
from rapport.store import Database
from rapport.store.users import EmailTaken

DEMO_PASSWORD = "rapport-demo-2026"
# email, name, role, languages, skills
DEMO_ACCOUNTS: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("admin@demo.rapport", "Alex Admin", "admin", (), ()),
    ("sam@demo.rapport", "Sam Supervisor", "supervisor", (), ()),
    ("ana@demo.rapport", "Ana", "agent", ("en", "es", "pt"), ("fraud",)),
    ("yuki@demo.rapport", "Yuki", "agent", ("en", "ja", "zh", "ko"), ()),
    ("omar@demo.rapport", "Omar", "agent", ("en", "ar", "fr", "hi", "tr"), ("fraud",)),
    ("lena@demo.rapport", "Lena", "agent", ("en", "de", "it", "ru", "pl", "nl"), ()),
    ("lee@demo.rapport", "Lee Analyst", "analyst", (), ()),
)


def ensure_demo_accounts(database: Database) -> list[tuple[str, str]]:
    """Create the demo accounts that do not exist yet; returns (email, role) of all."""
    hashed = hash_password(DEMO_PASSWORD)
    context = Context(database)
    for email, name, role, languages, skills in DEMO_ACCOUNTS:
        account = new_user(
            email=email,
            name=name,
            role=role,
            password_hash=hashed,
            teams=TEAMS,
            languages=languages,
            skills=skills,
            capacity=8,
        )
        try:
            create_user(context, SYSTEM, account, via="demo")
        except EmailTaken:
            continue
    return [(email, role) for email, _, role, _, _ in DEMO_ACCOUNTS]
