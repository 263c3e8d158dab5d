"""Password hashing: argon2id, verification, rehash on changed parameters, the policy."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from rapport.auth import passwords
from rapport.errors import InputError


def test_hashes_are_argon2id_salted_and_verify() -> None:
    first = passwords.hash_password("a long enough secret")
    second = passwords.hash_password("a long enough secret")

    assert first.startswith("$argon2id$")
    assert first != second
    assert passwords.verify_password(first, "a long enough secret")
    assert not passwords.verify_password(first, "a long enough secreT")


def test_a_missing_or_broken_hash_never_verifies() -> None:
    assert not passwords.verify_password(None, "anything at all here")
    assert not passwords.verify_password("not a hash", "anything at all here")


def test_hashes_made_with_other_parameters_need_rehash() -> None:
    current = passwords.hash_password("a long enough secret")
    older = PasswordHasher(time_cost=1, memory_cost=16, parallelism=1).hash("a long enough secret")

    assert not passwords.needs_rehash(current)
    assert passwords.needs_rehash(older)
    assert passwords.verify_password(older, "a long enough secret")


def test_the_production_hasher_is_argon2id_with_strong_parameters() -> None:
    cheap = passwords.use_hasher(PasswordHasher())
    try:
        assert passwords.needs_rehash(cheap.hash("x" * 12))
        strong = passwords.rehash("x" * 12)
    finally:
        passwords.use_hasher(cheap)
    assert strong.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


@pytest.mark.parametrize(("password", "reason"), [("short", "at least 12"), (" " * 20, "spaces")])
def test_weak_passwords_are_refused_with_the_rule(password: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        passwords.hash_password(password)
