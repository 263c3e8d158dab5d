"""Changes to accounts and access: users, logins, sessions, API tokens.

Password hashing is slow by design, so callers hash before calling; no action hashes inside
the one writer's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapport.actions.base import Actor, Change, Context, apply
from rapport.auth import throttle
from rapport.auth.sessions import new_session
from rapport.auth.tokens import new_token
from rapport.errors import Conflict, Forbidden, NotFound
from rapport.records.accounts import ApiToken, NewUser, Session, User, UserChange
from rapport.store import sessions, tokens, users
from rapport.store import throttle as failures

# Sessions belong to no tenant; housekeeping acts as the system of the default one.
SYSTEM = Actor(tenant="default")


class LastAdmin(Conflict):
    """The change would leave a tenant without an active admin."""


def create_user(context: Context, actor: Actor, new: NewUser, *, via: str | None = None) -> User:
    """Create a user in the actor's tenant's name; `via` notes where it came from (the CLI,
    the demo) in the audit entry."""

    def job(change: Change) -> User:
        user = users.insert_user(change.conn, new, at=change.now)
        after = user.to_json() | ({"via": via} if via else {})
        change.audit("user.create", f"user:{user.id}", None, after)
        return user

    return apply(context, actor, job)


def update_user(context: Context, actor: Actor, user_id: int, changes: UserChange) -> User:
    """Change a user of the actor's tenant. A new password or deactivation ends the user's
    sessions; no change may leave the tenant without an active admin."""

    def job(change: Change) -> User:
        before = users.get_user(change.conn, user_id, tenant=actor.tenant)
        after = users.update_user(change.conn, before, changes)
        if (
            before.role == "admin"
            and before.active
            and users.count_active_admins(change.conn, after.tenant) == 0
        ):
            raise LastAdmin("this would leave the tenant without an active admin")
        new_password = changes.password_hash is not None
        if new_password or not after.active:
            sessions.revoke_user_sessions(change.conn, user_id)
        shown = after.to_json() | ({"password": "changed"} if new_password else {})
        change.audit("user.update", f"user:{user_id}", before.to_json(), shown)
        return after

    return apply(context, actor, job)


def set_password(
    context: Context, actor: Actor, email: str, password_hash: str, *, via: str = "cli"
) -> User:
    """Give the active user with this email in the actor's tenant a new password (already
    hashed), and end their sessions."""

    def job(change: Change) -> User:
        found = users.credentials(change.conn, email.strip().lower(), tenant=actor.tenant)
        if not found:
            raise NotFound(f"no active user {email!r} in tenant {actor.tenant!r}")
        user = found[0].user
        users.update_user(change.conn, user, UserChange(password_hash=password_hash))
        sessions.revoke_user_sessions(change.conn, user.id)
        change.audit("user.update", f"user:{user.id}", None, {"password": "changed", "via": via})
        return user

    return apply(context, actor, job)


def record_failed_login(context: Context, actor: Actor, email: str) -> None:
    """Count a failed login against the email from the actor's address, and against the
    address, and audit it."""

    def job(change: Change) -> None:
        keys = list(throttle.limits(email, actor.ip))
        failures.record_failures(
            change.conn, keys, change.now, forget_before=change.now - throttle.WINDOW
        )
        change.audit("login.failed", f"email:{email}")

    apply(context, actor, job)


def log_in(
    context: Context, actor: Actor, user: User, *, fresh_hash: str | None = None
) -> tuple[str, Session]:
    """Open a session for `user`, whose password just verified: returns the secret for the
    cookie and the session. `fresh_hash` replaces a hash made with yesterday's parameters."""

    def job(change: Change) -> tuple[str, Session]:
        # The owner's own failures from here no longer slow them; others' stay counted.
        failures.clear_failures(change.conn, throttle.pair_key(user.email, actor.ip))
        if fresh_hash is not None:
            users.update_user(change.conn, user, UserChange(password_hash=fresh_hash))
        secret, session = new_session(user.id, change.now)
        sessions.insert_session(change.conn, session)
        change.audit("login", f"user:{user.id}")
        return secret, session

    return apply(context, actor, job)


def log_out(context: Context, actor: Actor, session_id: str) -> None:
    def job(change: Change) -> None:
        sessions.revoke_session(change.conn, session_id)
        change.audit("logout", f"user:{actor.user_id}")

    apply(context, actor, job)


def issue_token(
    context: Context, actor: Actor, name: str, scopes: Iterable[str]
) -> tuple[str, ApiToken]:
    """A new API token of the actor: its value (shown once, never stored) and its record."""
    user_id = _user_of(actor)

    def job(change: Change) -> tuple[str, ApiToken]:
        raw, new = new_token(user_id, name, scopes, change.now)
        token = tokens.insert_token(change.conn, new)
        change.audit("token.create", f"token:{token.id}", None, token.to_json())
        return raw, token

    return apply(context, actor, job)


def revoke_token(context: Context, actor: Actor, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens; another user's is not found."""
    user_id = _user_of(actor)

    def job(change: Change) -> ApiToken:
        before = tokens.get_token(change.conn, token_id, user_id=user_id)
        after = tokens.revoke_token(change.conn, before, change.now)
        change.audit("token.revoke", f"token:{token_id}", before.to_json(), after.to_json())
        return after

    return apply(context, actor, job)


def note_session_seen(context: Context, session_id: str) -> None:
    """Keep an active session from going idle (bookkeeping: not audited)."""
    apply(context, SYSTEM, lambda c: sessions.touch_session(c.conn, session_id, c.now))


def note_token_used(context: Context, token_id: int) -> None:
    """Show when a token was last used (bookkeeping: not audited)."""
    apply(context, SYSTEM, lambda c: tokens.touch_token(c.conn, token_id, c.now))


def purge_expired_sessions(context: Context) -> int:
    """Delete sessions that can never open again; returns how many."""
    return apply(context, SYSTEM, lambda c: sessions.purge_expired(c.conn, c.now))


def _user_of(actor: Actor) -> int:
    if actor.user_id is None:
        raise Forbidden("API tokens belong to a user; the system has none")
    return actor.user_id
