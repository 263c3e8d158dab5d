"""Every error Rapport raises on purpose derives from `RapportError`.

Messages name the bad value and say how to fix it, so a user can act without reading code.
What each kind means over HTTP is decided in one place, `web/errors.py`; code below the web
raises these and never builds a response.
"""

from __future__ import annotations

from typing import Any


class RapportError(Exception):
    """Root of Rapport's own errors. `details` are extra fields for the problem body (JSON
    values only), such as who holds a case."""

    def __init__(self, message: str = "", **details: Any) -> None:
        super().__init__(message)
        self.details = details


class ConfigError(RapportError):
    """A setting has a value Rapport cannot use."""


class InputError(RapportError):
    """A record or request is malformed; `where` says where it came from."""

    def __init__(self, reason: str, where: str = "", **details: Any) -> None:
        super().__init__(f"{where}: {reason}" if where else reason, **details)
        self.reason = reason
        self.where = where


class StoreError(RapportError):
    """The database refused or could not be reached."""


class Unauthorized(RapportError):
    """Nobody known is asking: no session or API token, or one that has ended or is wrong."""


class NotFound(RapportError):
    """A record that was asked for by id does not exist (or belongs to another tenant)."""


class Forbidden(RapportError):
    """The user is known but may not do this."""


class Conflict(RapportError):
    """The request is valid, but the record's state forbids it now (claimed by someone else,
    resolved, changed meanwhile)."""


class Unavailable(RapportError):
    """A service a stage needs (the bus, the database) cannot be reached now; try again."""


class TooLarge(RapportError):
    """A request or record is over the size Rapport accepts; send it in smaller parts."""


class Throttled(RapportError):
    """Too many attempts for now; `retry_after` (seconds, in the details) says when to try
    again. Distinct from a channel's own rate limit, which is about the network, not the
    caller."""

    def __init__(self, message: str, *, retry_after: int, **details: Any) -> None:
        super().__init__(message, retry_after=retry_after, **details)
        self.retry_after = retry_after
