"""The driver errors that mean "the database is down", not "this input is bad".

Callers above the store (bus workers) wait such errors out instead of blaming the message
in hand, without having to know which driver raised them.
"""

from __future__ import annotations

from typing import Final

import sqlalchemy as sa

DATABASE_DOWN: Final[tuple[type[BaseException], ...]] = (
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
    sa.exc.DisconnectionError,
)
