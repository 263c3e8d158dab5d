"""What the OpenAPI document says beyond what FastAPI derives from the routes' signatures:
the body `POST /api/v1/posts` reads itself (it streams it, to bound its size), and the 404
of every operation whose path names an object."""

from __future__ import annotations

from typing import Any

import msgspec
from fastapi import FastAPI

from rapport.records import Post

_REF = "#/components/schemas/{name}"
# The pipeline's own record, so the document says what ingest checks, bounds included.
(_POST,), _POST_SCHEMAS = msgspec.json.schema_components((Post,), ref_template=_REF)

INGEST_BODY: dict[str, Any] = {
    "required": True,
    "description": (
        "A JSON array of posts in Rapport's schema (docs/formats.md), an object "
        '`{"posts": [...]}`, or one post. Each item is checked on its own: a bad one is '
        "quarantined with its reason and the rest are stored."
    ),
    "content": {
        "application/json": {
            "schema": {
                "anyOf": [
                    {"type": "array", "items": _POST},
                    {
                        "type": "object",
                        "properties": {"posts": {"type": "array", "items": _POST}},
                        "required": ["posts"],
                        "additionalProperties": False,
                    },
                    _POST,
                ]
            }
        }
    },
}

NOT_FOUND: dict[str, Any] = {
    "description": "No such object here (another tenant's is as missing as one never made).",
    "content": {"application/json": {"schema": {"$ref": _REF.format(name="Problem")}}},
}


def describe(app: FastAPI) -> None:
    """Complete the document FastAPI generates for `app` (on every call: FastAPI caches it
    until the routes change, and these additions are idempotent)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for name, schema in _POST_SCHEMAS.items():
            # A response record of the same name would make the refs above ambiguous.
            assert schemas.setdefault(name, schema) == schema, f"two schemas named {name}"
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                    operation["responses"].setdefault("404", NOT_FOUND)
        return document

    app.openapi = openapi  # type: ignore[method-assign]
