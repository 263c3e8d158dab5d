"""Run the web application with uvicorn."""

from __future__ import annotations

import uvicorn

from rapport.bus.backends import bus_from_settings
from rapport.bus.choose import choose_strategy
from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database
from rapport.web.app import create_app


def serve(settings: Settings, database: Database) -> None:
    runner = build_runner(settings, database)
    # With a bus, POST /api/v1/posts publishes to it and the workers do the rest; the bus
    # strategy hosts the workers here when the bus is the in-process one.
    bus = bus_from_settings(settings) if settings.bus else None
    strategy = choose_strategy(settings, runner.stages, hosts_workers=True, bus=bus)
    app = create_app(settings, database, runner, bus=bus)
    try:
        # uvicorn's own proxy headers would believe any local client's X-Forwarded-For; the
        # app reads them itself, from `trusted_proxies` only (`web/security.py`).
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning",
                    proxy_headers=False)  # fmt: skip
    finally:
        strategy.close()
        strategy.join()
        if bus is not None:
            bus.close()
        database.close()
