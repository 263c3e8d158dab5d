"""The interactive API documentation at /api/docs, served whole by this server.

Swagger UI's files come from an installed package (fastapi-offline, pinned in uv.lock), not
from a CDN: the page works offline, as on a fresh demo machine, and no script from another
origin runs beside a signed-in user's session cookie. The page and its start-up script are
this project's own static files, so the console's Content-Security-Policy, with no inline
script, holds here too.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/api/docs"
# Where Swagger UI's bundle, stylesheet and icon are served (docs.html names them).
ASSETS_URL = "/vendor/swagger-ui"
_STATIC = files("rapport.web") / "static"
_SWAGGER_UI = files("fastapi_offline") / "static"


def install(app: FastAPI) -> None:
    """Serve the documentation page and Swagger UI's files. The app must be created with
    `docs_url=None` so FastAPI's own page, which loads them from a CDN, is not there."""
    app.mount(ASSETS_URL, StaticFiles(directory=str(_SWAGGER_UI)), name="swagger-ui")

    @app.get(DOCS_URL, response_class=HTMLResponse, include_in_schema=False)
    def docs_page() -> HTMLResponse:
        return HTMLResponse((_STATIC / "docs.html").read_text(encoding="utf-8"))
