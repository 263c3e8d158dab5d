"""The demo's second tenant, the rewards agency: made once, hears only the rewards posts,
and gets cases of its own beside the card issuer's."""

from __future__ import annotations

from pathlib import Path

import pytest

from rapport.demo.live import demo_overrides, ingest_history
from rapport.demo.tenants import TENANT, ensure_demo_tenants
from rapport.pipeline.build import build_runner
from rapport.settings import Settings
from rapport.store import Database
from rapport.store import tenants as store
from rapport.store.cases import queue_summary
from tests.auth.conftest import cheap_hashing

__all__ = ["cheap_hashing"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_rewards_agency_gets_its_own_cases(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    settings = Settings.load(
        {**demo_overrides({}), "data_dir": tmp_path, "database_url": database_url}, environ={}
    )
    first = ensure_demo_tenants(database, "pw-for-the-test")
    assert ensure_demo_tenants(database, "pw-for-the-test") == first  # nothing made twice
    with database.reading() as conn:
        assert [c.kind for c in store.current_configs(conn, TENANT)] == ["queries"]

    runner = build_runner(settings, database, enrich=True)
    ingest_history(runner, 1500, rate=50.0, seed=3)

    with database.reading() as conn:
        agency = {q.team: q.open for q in queue_summary(conn, tenant=TENANT)}
        issuer = {q.team for q in queue_summary(conn, tenant="default")}
    assert set(agency) == {"rewards"}
    assert agency["rewards"] > 0
    assert "rewards" not in issuer
