"""Configuration saved in one process comes into force in every other: each reloads when the
store's generation moves, and reports the generation it applied only once it has."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rapport.pipeline.route import RouteStage
from rapport.pipeline.tenancy import TenancyReload, follow_tenants
from rapport.records.processes import Process
from rapport.records.tenants import ConfigVersion
from rapport.route.rules import RuleSet
from rapport.store import Connection, Database, processes, tenants
from rapport.store.rule_versions import save_version
from rapport.tenancy.live import LiveConfig, config_status, live_since
from rapport.tenancy.setup import Defaults

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Recorder:
    """A reload callback that notes what the store showed it, and fails when told to."""

    def __init__(self) -> None:
        self.seen: list[list[ConfigVersion]] = []
        self.failing = False

    def __call__(self, conn: Connection) -> None:
        if self.failing:
            raise RuntimeError("the new configuration does not load")
        self.seen.append(tenants.current_configs(conn))


def save_handles(database: Database, handles: str) -> int:
    database.write(
        lambda conn: tenants.save_config(conn, "default", "handles", handles, "test", NOW)
    )
    with database.reading() as conn:
        return tenants.generation(conn)


def reported(database: Database, live: LiveConfig) -> int | None:
    with database.reading() as conn:
        seen = processes.live(conn, NOW - timedelta(days=1))
    [mine] = [p for p in seen if p.id == live.process_id]
    return mine.generation


def test_a_saved_configuration_is_reloaded_once(database: Database) -> None:
    recorder = Recorder()
    live = LiveConfig(database, "web", clock=Clock())
    live.on_reload(recorder)
    live.run_once()
    assert len(recorder.seen) == 1  # whatever was built at start may be older: reload
    live.run_once()
    assert len(recorder.seen) == 1
    assert reported(database, live) == live.applied

    generation = save_handles(database, "handles: [acme]")
    assert live.run_once() == generation
    live.run_once()
    assert len(recorder.seen) == 2
    assert [c.body for c in recorder.seen[-1]] == ["handles: [acme]"]
    assert reported(database, live) == generation


def test_a_failing_reload_keeps_the_old_generation_until_one_succeeds(
    database: Database,
) -> None:
    recorder = Recorder()
    clock = Clock()
    live = LiveConfig(database, "worker:route", clock=clock)
    live.on_reload(recorder)
    old = live.run_once()
    assert old is not None

    recorder.failing = True
    new = save_handles(database, "handles: [acme]")
    clock.now += timedelta(seconds=2)
    assert live.run_once() == old
    assert reported(database, live) == old
    with database.reading() as conn:
        status = config_status(tenants.generation(conn), processes.live(conn, live_since(clock())))
    assert status.generation == new
    assert not status.in_force_everywhere

    recorder.failing = False
    clock.now += timedelta(seconds=2)
    assert live.run_once() == new
    assert reported(database, live) == new


def test_only_processes_seen_lately_count_and_day_old_ones_are_swept(database: Database) -> None:
    current = save_handles(database, "handles: [acme]")

    def beat(process_id: str, seen: datetime, generation: int | None) -> None:
        process = Process(process_id, "web", "host", 1, NOW - timedelta(days=2), seen, generation)
        database.write(lambda conn: processes.heartbeat(conn, process))

    beat("current", NOW, current)
    beat("gone", NOW - timedelta(seconds=7), current - 1)  # missed three 2-second beats
    beat("forgotten", NOW - timedelta(days=1, seconds=1), None)
    with database.reading() as conn:
        status = config_status(current, processes.live(conn, live_since(NOW, 2.0)))
    assert [p.id for p in status.processes] == ["current"]
    assert status.in_force_everywhere

    live = LiveConfig(database, "web", clock=Clock())
    live.run_once()
    with database.reading() as conn:
        assert {p.id for p in processes.live(conn, NOW - timedelta(days=30))} == {
            "current",
            "gone",
            live.process_id,
        }


def test_a_process_registers_when_it_starts_and_leaves_when_it_stops(
    database: Database,
) -> None:
    live = LiveConfig(database, "web", interval=60)
    live.start()
    try:
        with database.reading() as conn:
            seen = processes.live(conn, datetime.now(UTC) - timedelta(minutes=1))
        assert [(p.id, p.role, p.generation) for p in seen] == [
            (live.process_id, "web", live.applied)
        ]
        assert live.applied is not None
    finally:
        live.stop()
    with database.reading() as conn:
        assert processes.live(conn, NOW - timedelta(days=30)) == []


def test_the_tenancy_reload_puts_every_tenants_newest_rules_into_the_route_stages(
    database: Database,
) -> None:
    stages = [RouteStage(RuleSet([])), RouteStage(RuleSet([]))]
    reload = TenancyReload(stages, Defaults())
    body = "rules:\n  - id: fraud\n    when: {query: fraud}\n    then: {route: fraud_desk}\n"
    database.write(lambda conn: save_version(conn, body, author="test"))
    database.write(lambda conn: save_version(conn, "rules: []\n", tenant="acme"))
    with database.reading() as conn:
        reload(conn)
    assert stages[0].workflows is stages[1].workflows
    # Tenant acme saved rules but is no tenant record: only the operator routes.
    assert list(stages[0].workflows.by_tenant) == ["default"]
    assert len(stages[0].workflows.by_tenant["default"].rules) == 1
    assert not TenancyReload([], Defaults())


def test_only_processes_that_route_follow_the_tenants(database: Database) -> None:
    route = RouteStage(RuleSet([]))
    reload = TenancyReload([route], Defaults())
    assert follow_tenants(database, "worker:enrich", reload, []) is None
    live = follow_tenants(database, "worker:route", reload, [route])
    assert live is not None
    try:
        assert live.applied is not None  # the first pass ran before it returned
        assert live.role == "worker:route"
    finally:
        live.stop()
