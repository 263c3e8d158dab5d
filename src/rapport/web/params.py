"""Integer parameters as the databases can hold them.

Ids are signed 64-bit integers on both databases; a larger number in a path or a query
reached the driver and failed there as a 500. Every route's id parameter uses the types
below, so such a value is a parameter error (422) before any SQL runs. The same goes for a
NUL character in text, which PostgreSQL refuses: `Body` and `no_nul` refuse it first.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Request
from pydantic import BaseModel, model_validator

from rapport.errors import InputError

MAX_ID = 2**63 - 1

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="An id, as the API returned it.")]


def id_query(description: str, *, ge: int = 1) -> Any:
    """A query parameter holding an id (a cursor, an id to filter by ...)."""
    return Query(ge=ge, le=MAX_ID, description=description)


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


class Body(BaseModel):
    """A JSON request body. No text in it may hold a NUL character: PostgreSQL cannot store
    one, and no name, note or reply needs it."""

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        if _holds_nul(data):
            raise ValueError("text may not hold a NUL character (\\u0000)")
        return data


def no_nul(request: Request) -> None:
    """An app-wide dependency: the same refusal for path and query parameters."""
    for where, values in (("path", request.path_params), ("query", request.query_params)):
        for name, value in values.items():
            if _holds_nul(name) or _holds_nul(value):
                raise InputError(f"{where} parameter {name!r} may not hold a NUL character")
