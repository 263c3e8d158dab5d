"""Membership tests against many values bound as one parameter.

`column.in_(values)` binds one parameter per value, so SQLAlchemy rewrites and the server
parses a statement whose length grows with the batch, at every call. One array (PostgreSQL)
or one JSON list (SQLite) keeps the statement the same for every batch: compiled once,
cheap to send.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


def any_of(
    conn: sa.Connection, column: sa.ColumnElement[Any], values: Collection[str]
) -> sa.ColumnElement[bool]:
    """`column IN values`, with `values` (text) as a single bound parameter."""
    if conn.dialect.name == "postgresql":
        return column == sa.any_(
            sa.bindparam(None, list(values), type_=postgresql.ARRAY(sa.Text()))
        )
    listed = sa.func.json_each(sa.bindparam(None, orjson.dumps(list(values)).decode()))
    return column.in_(sa.select(sa.column("value")).select_from(listed))
