"""Choosing how stages run: one place reads the settings, and a strategy Rapport has not,
or a stage no bus worker would run, fails when the pipeline is built."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.bus.backends import open_bus
from rapport.bus.base import ENRICHED, RAW
from rapport.bus.choose import build_strategy, choose_strategy, strategy_name
from rapport.bus.strategy import BusStrategy
from rapport.bus.threads import WorkerThreads
from rapport.errors import ConfigError
from rapport.ingest.parallel import ProcessStrategy
from rapport.pipeline.normalise import NormaliseStage
from rapport.pipeline.route import RouteStage
from rapport.pipeline.stage import Stage
from rapport.pipeline.strategies import ThreadsStrategy
from rapport.records import Batch
from rapport.settings import Settings


class Translate(Stage):
    name = "translate"

    def process(self, batch: Batch) -> Batch:
        return batch


def settings(tmp_path: Path, **values: object) -> Settings:
    return Settings.load({"data_dir": tmp_path, **values}, environ={})


@pytest.mark.parametrize(
    ("bus", "processes", "hosts_workers", "expected"),
    [
        ("", True, False, "process"),
        ("", False, False, "threads"),
        ("", True, True, "process"),
        ("memory", True, False, "process"),  # nobody here would take batches off the bus
        ("memory", True, True, "bus"),
        ("nats://127.0.0.1:4222", True, False, "bus"),
        ("nats://127.0.0.1:4222", False, True, "bus"),
    ],
)
def test_the_settings_choose_the_strategy(
    tmp_path: Path, bus: str, processes: bool, hosts_workers: bool, expected: str
) -> None:
    chosen = settings(tmp_path, bus=bus, ingest_processes=processes)
    assert strategy_name(chosen, hosts_workers=hosts_workers) == expected


def test_the_chosen_strategy_is_built_from_the_settings(tmp_path: Path) -> None:
    strategy = choose_strategy(
        settings(tmp_path, queue_batches=7, ingest_processes=False),
        [NormaliseStage()],
        hosts_workers=False,
    )
    assert isinstance(strategy, ThreadsStrategy)
    assert strategy.queue_batches == 7
    process = choose_strategy(settings(tmp_path), [NormaliseStage()], hosts_workers=False)
    assert isinstance(process, ProcessStrategy)
    assert process.decode_ahead is False  # the default database is SQLite


def test_an_unknown_strategy_fails_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'fibres'"):
        build_strategy("fibres", [NormaliseStage()], settings(tmp_path))


def test_the_bus_strategy_without_a_bus_fails(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="needs a bus"):
        build_strategy("bus", [NormaliseStage()], settings(tmp_path))


def test_a_stage_in_no_bus_group_fails_when_the_pipeline_is_built() -> None:
    bus = open_bus("memory")
    try:
        with pytest.raises(ConfigError, match="'translate'"):
            BusStrategy([NormaliseStage(), Translate()], bus)
        with pytest.raises(ConfigError, match="'translate'"):
            WorkerThreads(bus, [NormaliseStage(), Translate()])
    finally:
        bus.close()


def test_the_bus_strategy_publishes_to_the_group_of_the_first_stage() -> None:
    bus = open_bus("memory")
    try:
        BusStrategy([RouteStage(None)], bus).submit(Batch(source="t"), key="one")
        BusStrategy([NormaliseStage()], bus).submit(Batch(source="t"), key="two")
        assert bus.pending(ENRICHED, "route") == 1
        assert bus.pending(RAW, "enrich") == 1
    finally:
        bus.close()
