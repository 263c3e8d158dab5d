"""The one place that chooses how a pipeline's stages run, from the settings.

It lives with the bus because the bus is the highest of the layers that supply a strategy
(pipeline: inline and threads; ingest: process; bus: bus).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from rapport.bus.base import Bus
from rapport.bus.strategy import BusStrategy
from rapport.errors import ConfigError
from rapport.ingest.parallel import ProcessStrategy
from rapport.pipeline.stage import Stage
from rapport.pipeline.strategies import InlineStrategy, ThreadsStrategy
from rapport.pipeline.strategy import Strategy
from rapport.settings import Settings

STRATEGIES: Final = (
    InlineStrategy.name,
    ThreadsStrategy.name,
    ProcessStrategy.name,
    BusStrategy.name,
)
IN_PROCESS_BUS: Final = "memory"


def shares_bus(settings: Settings) -> bool:
    """Whether the bus reaches workers in other processes (the in-process bus does not)."""
    return settings.bus not in ("", IN_PROCESS_BUS)


def strategy_name(settings: Settings, *, hosts_workers: bool) -> str:
    """The strategy the settings ask for.

    A shared bus sends batches to its workers. The in-process bus does so only in a process
    that hosts its workers (`rapport serve`); elsewhere nobody would take them. Without a
    bus, the stages run here: files with a helper process when `ingest_processes` is on.
    """
    if shares_bus(settings) or (settings.bus == IN_PROCESS_BUS and hosts_workers):
        return BusStrategy.name
    return ProcessStrategy.name if settings.ingest_processes else ThreadsStrategy.name


def build_strategy(
    name: str, stages: Sequence[Stage], settings: Settings, *, bus: Bus | None = None
) -> Strategy:
    """Strategy `name` over `stages`; an error naming it when Rapport has none so called."""
    if name == InlineStrategy.name:
        return InlineStrategy(stages)
    if name == ThreadsStrategy.name:
        return ThreadsStrategy(stages, queue_batches=settings.queue_batches)
    if name == ProcessStrategy.name:
        return ProcessStrategy(
            stages,
            queue_batches=settings.queue_batches,
            # See run_file: decoding ahead pays on PostgreSQL and costs on SQLite.
            decode_ahead=not settings.database_url.startswith("sqlite"),
        )
    if name == BusStrategy.name:
        if bus is None:
            raise ConfigError("the bus strategy needs a bus: set --bus (or RAPPORT_BUS)")
        return BusStrategy(
            stages,
            bus,
            host_workers=not shares_bus(settings),
            max_attempts=settings.bus_attempts,
        )
    raise ConfigError(f"no strategy {name!r} to run stages; use one of {', '.join(STRATEGIES)}")


def choose_strategy(
    settings: Settings, stages: Sequence[Stage], *, hosts_workers: bool, bus: Bus | None = None
) -> Strategy:
    return build_strategy(
        strategy_name(settings, hosts_workers=hosts_workers), stages, settings, bus=bus
    )
