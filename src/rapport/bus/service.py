"""`rapport worker`: one worker process for one stage group, until SIGTERM drains it."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Sequence
from types import FrameType

from rapport.bus.backends import bus_from_settings
from rapport.bus.choose import shares_bus
from rapport.bus.groups import GROUPS, group
from rapport.bus.metrics import WorkerMetrics
from rapport.bus.worker import Worker
from rapport.errors import ConfigError
from rapport.pipeline.build import build_runner, settings_stages, tenancy_defaults
from rapport.pipeline.stage import Stage
from rapport.pipeline.tenancy import TenancyReload, follow_tenants
from rapport.settings import Settings
from rapport.store import Database

log = logging.getLogger(__name__)


def run_worker(
    settings: Settings,
    stage: str,
    *,
    metrics_host: str = "127.0.0.1",
    metrics_port: int | None = None,
    fetch: int = 4,
    stop: threading.Event | None = None,
) -> None:
    if stage not in GROUPS:
        raise ConfigError(f"no worker stage {stage!r}; use one of {', '.join(GROUPS)}")
    if not shares_bus(settings):
        raise ConfigError(
            "a worker process needs a shared bus: set --bus nats://HOST:PORT "
            "(or RAPPORT_BUS); the in-process bus lives inside `rapport serve --bus memory`"
        )
    stop = stop or threading.Event()
    database: Database | None = None
    stages: Sequence[Stage]
    if stage == "enrich":
        # Enrichment needs no database, so enrich workers can run where there is none.
        stages = settings_stages(settings)
    else:
        database = Database(settings.database_url)
        database.upgrade()
        stages = build_runner(settings, database).stages
    chosen = group(stage, stages)
    # Route and persist workers take up tenants' rules and configuration saved through any
    # web tier within seconds.
    live = (
        follow_tenants(
            database,
            f"worker:{stage}",
            TenancyReload(chosen.stages, tenancy_defaults(settings)),
            chosen.stages,
        )
        if database is not None
        else None
    )
    bus = bus_from_settings(settings)
    metrics = WorkerMetrics(stage)
    server = metrics.serve(metrics_host, metrics_port) if metrics_port is not None else None
    worker = Worker(bus, chosen, fetch=fetch, max_attempts=settings.bus_attempts, metrics=metrics)

    def drain(signum: int, frame: FrameType | None) -> None:
        log.info("signal %d: finishing the messages in hand, then stopping", signum)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, drain)
        signal.signal(signal.SIGINT, drain)
    try:
        worker.run(stop)
    finally:
        if live is not None:
            live.stop()
        bus.close()
        for each in chosen.stages:
            each.close()
        if server is not None:
            server.shutdown()
        if database is not None:
            database.close()
