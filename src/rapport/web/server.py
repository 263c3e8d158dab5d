"""Run the web application with uvicorn."""

from __future__ import annotations

import uvicorn

from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database
from rapport.web.app import create_app


def serve(settings: Settings, database: Database) -> None:
    runner = build_runner(settings, database)
    app = create_app(settings, database, runner)
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
    finally:
        database.close()
