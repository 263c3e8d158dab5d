"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile).

Hashing is slow by design. Tests swap in a cheap hasher with `use_hasher`; production never
does, so the parameters in stored hashes are the strong ones (and `needs_rehash` upgrades
hashes made with weaker ones at the next login).
"""

from __future__ import annotations

import contextlib

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from rapport.errors import InputError

MIN_LENGTH = 12
# Long enough for any passphrase; the cap keeps one request from hashing megabytes.
MAX_LENGTH = 1024

_hasher = PasswordHasher(type=Type.ID)
_dummy_hash: str | None = None


def use_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Hash with `hasher` from now on (tests use cheap parameters); returns the previous one."""
    global _hasher, _dummy_hash
    previous, _hasher, _dummy_hash = _hasher, hasher, None
    return previous


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InputError(f"a password needs at least {MIN_LENGTH} characters", "password")
    if len(password) > MAX_LENGTH:
        raise InputError(f"a password may have at most {MAX_LENGTH} characters", "password")
    if not password.strip():
        raise InputError("a password cannot be only spaces", "password")


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def rehash(password: str) -> str:
    """A fresh hash of a password that just verified, with today's parameters. No strength
    check: the user chose it under an older policy, and refusing it here would lock them out."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches. A missing hash still costs one verification, so that the
    time taken does not tell an unknown account from a wrong password."""
    if password_hash is None:
        _waste(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than today's (then hash it again)."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def _waste(password: str) -> None:
    with contextlib.suppress(VerifyMismatchError, VerificationError, InvalidHashError):
        _hasher.verify(_dummy(), password)


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("rapport: no such account")
    return _dummy_hash
