"""Expired and revoked sessions, deleted every so often: they can never open again, and
without this the sessions table only grows."""

from __future__ import annotations

from rapport.actions.accounts import purge_expired_sessions
from rapport.actions.base import Context
from rapport.periodic import Periodic

# A constant rather than a setting: a session past its end is refused whether or not its row
# is still there, so the interval only bounds how long dead rows linger.
PURGE_INTERVAL_SECONDS = 3600.0


class SessionPurge(Periodic):
    def __init__(self, context: Context, interval: float = PURGE_INTERVAL_SECONDS) -> None:
        super().__init__("session-purge", interval, first_at_start=True)
        self._context = context

    def run_once(self) -> int:
        return purge_expired_sessions(self._context)
