"""The one place where errors become HTTP responses.

Routes raise `RapportError` subclasses (or let the actions and the store raise them); the
handlers below turn each into an RFC 9457 problem body with the status its kind means, as
they do FastAPI's own request validation errors and Starlette's HTTP errors (an unknown
path, a wrong method). No route builds an error response by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException

from rapport.errors import (
    ConfigError,
    Conflict,
    Forbidden,
    InputError,
    NotFound,
    RapportError,
    StoreError,
    Throttled,
    TooLarge,
    Unauthorized,
    Unavailable,
)
from rapport.web.responses import JSON

# Most specific first: the first class an error is an instance of decides its status.
STATUS_OF: tuple[tuple[type[RapportError], int], ...] = (
    (Unauthorized, 401),
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (TooLarge, 413),
    (InputError, 422),
    (Throttled, 429),
    (Unavailable, 503),
    (StoreError, 503),
    (ConfigError, 500),
)

# RFC 9110 wants a 401 to name the scheme to authenticate with: the API token.
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


class Problem(BaseModel):
    """What went wrong, for a person to read (RFC 9457); some errors add fields."""

    model_config = ConfigDict(extra="allow")
    status: int
    detail: str


class FieldError(BaseModel):
    """One part of the request that is not as the API expects: where, and why."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationProblem(Problem):
    """A request the API cannot read: `detail` sums it up; `errors` names each field where
    the request's shape is wrong (a check of what the values mean may name none)."""

    errors: list[FieldError] = []


# Documented on every route by the app, so the OpenAPI document describes error bodies;
# a route documents its own further errors (404, 409, ...) beside these.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {
        "model": Problem,
        "description": "Not signed in: no session cookie or API token, or it has ended.",
    },
    403: {"model": Problem, "description": "Your role, or the token's scopes, do not allow it."},
    422: {"model": ValidationProblem, "description": "The request is malformed."},
}

# For routes that change an object whose state may forbid it just now.
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {
        "model": Problem,
        "description": "Not in this state: the case is resolved or claimed by someone else, "
        "the reply was decided already, the name is taken, or the last admin would go.",
    }
}

# What a body FastAPI could not decode (not UTF-8, nested past the parser) says went wrong.
_UNREADABLE = "the body is not JSON in UTF-8"


def status_of(error: RapportError) -> int:
    for kind, status in STATUS_OF:
        if isinstance(error, kind):
            return status
    return 400


def headers_of(error: RapportError) -> dict[str, str]:
    if isinstance(error, Unauthorized):
        return dict(_CHALLENGE)
    if isinstance(error, Throttled):
        return {"Retry-After": str(error.retry_after)}
    return {}


def problem(
    status: int,
    detail: str,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSON:
    """An error body in RFC 9457 shape: what went wrong, for a person to read."""
    body = {"status": status, "detail": detail, **(extra or {})}
    return JSON(body, status_code=status, headers=headers)


def field_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Where and why, without the input itself: it may be a password or a large body."""
    return [
        {"loc": list(error["loc"]), "msg": str(error["msg"]), "type": str(error["type"])}
        for error in errors
    ]


def summary(errors: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in errors
    )


def install(app: FastAPI) -> None:
    """Map every error the app's routes raise to its problem response."""

    async def handle(request: Request, error: Exception) -> JSON:
        assert isinstance(error, RapportError)
        return problem(status_of(error), str(error), error.details, headers_of(error))

    async def handle_invalid(request: Request, error: Exception) -> JSON:
        assert isinstance(error, RequestValidationError)
        errors = field_errors(error.errors())
        return problem(422, summary(errors) or "the request is malformed", {"errors": errors})

    async def handle_http(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if error.status_code == 400 and error.__cause__ is not None:
            # FastAPI's 400 for a body it failed to decode: malformed like invalid JSON, so
            # the same 422 (and the only 4xx a body fault is documented with).
            errors = [{"loc": ["body"], "msg": _UNREADABLE, "type": "json_invalid"}]
            return problem(422, f"body: {_UNREADABLE}", {"errors": errors})
        if error.status_code in (204, 304):  # no body allowed
            return Response(status_code=error.status_code, headers=error.headers)
        return problem(error.status_code, str(error.detail), headers=error.headers)

    app.add_exception_handler(RapportError, handle)
    app.add_exception_handler(RequestValidationError, handle_invalid)
    app.add_exception_handler(HTTPException, handle_http)
