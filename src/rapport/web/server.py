"""Run the web application with uvicorn."""

from __future__ import annotations

import uvicorn

from rapport.bus.backends import bus_from_settings
from rapport.bus.threads import WorkerThreads
from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database
from rapport.web.app import create_app


def serve(settings: Settings, database: Database) -> None:
    runner = build_runner(settings, database)
    # With a bus, POST /api/v1/posts publishes to it and the workers do the rest; with the
    # in-process bus, the workers are threads of this process.
    bus = bus_from_settings(settings) if settings.bus else None
    workers = (
        WorkerThreads(bus, runner.stages, max_attempts=settings.bus_attempts).start()
        if bus is not None and settings.bus == "memory"
        else None
    )
    app = create_app(settings, database, runner, bus=bus)
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
    finally:
        if workers is not None:
            workers.stop()
        if bus is not None:
            bus.close()
        database.close()
