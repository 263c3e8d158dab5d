"""The one place where Rapport's errors become HTTP responses.

Routes raise `RapportError` subclasses (or let the actions and the store raise them); the
handler below turns each into an RFC 9457 problem body with the status its kind means. No
route builds an error response by hand.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict

from rapport.errors import (
    ConfigError,
    Conflict,
    Forbidden,
    InputError,
    NotFound,
    RapportError,
    StoreError,
    Unavailable,
)
from rapport.web.responses import JSON, problem

# Most specific first: the first class an error is an instance of decides its status.
STATUS_OF: tuple[tuple[type[RapportError], int], ...] = (
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (InputError, 422),
    (Unavailable, 503),
    (StoreError, 503),
    (ConfigError, 500),
)


class Problem(BaseModel):
    """What went wrong, for a person to read (RFC 9457); some errors add fields."""

    model_config = ConfigDict(extra="allow")
    status: int
    detail: str


def status_of(error: RapportError) -> int:
    for kind, status in STATUS_OF:
        if isinstance(error, kind):
            return status
    return 400


def install(app: FastAPI) -> None:
    """Map every `RapportError` the app's routes raise to its problem response."""

    async def handle(request: Request, error: Exception) -> JSON:
        assert isinstance(error, RapportError)
        return problem(status_of(error), str(error), **error.details)

    app.add_exception_handler(RapportError, handle)
