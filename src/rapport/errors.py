"""Every error Rapport raises on purpose derives from `RapportError`.

Messages name the bad value and say how to fix it, so a user can act without reading code.
"""

from __future__ import annotations


class RapportError(Exception):
    """Root of Rapport's own errors."""


class ConfigError(RapportError):
    """A setting has a value Rapport cannot use."""


class InputError(RapportError):
    """A record or request is malformed; `where` says where it came from."""

    def __init__(self, reason: str, where: str = "") -> None:
        super().__init__(f"{where}: {reason}" if where else reason)
        self.reason = reason
        self.where = where


class StoreError(RapportError):
    """The database refused or could not be reached."""


class NotFound(RapportError):
    """A record that was asked for by id does not exist."""


class Unavailable(RapportError):
    """A service a stage needs (the bus, the database) cannot be reached now; try again."""
