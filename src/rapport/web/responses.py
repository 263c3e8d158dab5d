"""JSON responses encoded with orjson (datetimes as ISO 8601, fast)."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def problem(status: int, detail: str, **extra: Any) -> JSON:
    """An error body in RFC 9457 shape: what went wrong, for a person to read."""
    return JSON({"status": status, "detail": detail, **extra}, status_code=status)
