"""Integer parameters as the databases can hold them.

Ids are signed 64-bit integers on both databases; a larger number in a path or a query
reached the driver and failed there as a 500. Every route's id parameter uses the types
below, so such a value is a parameter error (422) before any SQL runs.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query

MAX_ID = 2**63 - 1

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="An id, as the API returned it.")]


def id_query(description: str, *, ge: int = 1) -> Any:
    """A query parameter holding an id (a cursor, an id to filter by ...)."""
    return Query(ge=ge, le=MAX_ID, description=description)
