"""The demo's accounts: one per role, created once, each creation in the audit log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from rapport.auth import passwords
from rapport.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, ensure_demo_accounts
from rapport.store import Database, audit
from rapport.store.users import credentials, list_users


@pytest.fixture(autouse=True)
def cheap_hashing() -> Iterator[None]:
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    passwords.use_hasher(previous)


def test_demo_accounts_are_created_once_and_audited(database: Database) -> None:
    first = ensure_demo_accounts(database)
    again = ensure_demo_accounts(database)

    assert first == again == [(email, role) for email, _, role, _, _ in DEMO_ACCOUNTS]
    with database.reading() as conn:
        users = list_users(conn, "default")
        created = audit.list_entries(conn, "default", action="user.create")
        [admin] = credentials(conn, "admin@demo.rapport")
    assert len(users) == len(created) == len(DEMO_ACCOUNTS)
    assert {entry.after["via"] for entry in created} == {"demo"}
    assert passwords.verify_password(admin.password_hash, DEMO_PASSWORD)
