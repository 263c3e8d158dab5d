"""Two `rapport serve` tiers on one PostgreSQL database share the desk's live state: presence
posted on one is seen on the other, a claim through one reaches the other's console stream,
and assignment runs alternating between them take turns as one."""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import sqlalchemy as sa

from rapport.auth.roles import Permission
from rapport.store import Database, schema
from tests.actions.test_cases import agent
from tests.conftest import POSTGRES_URL
from tests.web.test_access import add_user, token_for
from tests.web.test_config_status import ServeProcess, until
from tests.web.test_desk import open_cases, set_case


def follow_events(tier: ServeProcess, token: str, heard: queue.Queue[dict[str, Any]]) -> None:
    """Read the tier's console stream into `heard` until the tier stops."""
    headers = {"Authorization": f"Bearer {token}"}
    with (
        contextlib.suppress(httpx.HTTPError),  # the tier stopped
        httpx.Client(base_url=f"http://127.0.0.1:{tier.port}", headers=headers,
                     timeout=httpx.Timeout(30, read=None)) as client,
        client.stream("GET", "/api/v1/events") as stream,
    ):  # fmt: skip
        for line in stream.iter_lines():
            if line.startswith("data: "):
                heard.put(orjson.loads(line[6:]))
            elif line == ": connected":
                heard.put({"type": "connected"})


def holder(database: Database, case_id: int) -> int | None:
    cases = schema.cases
    with database.reading() as conn:
        value = conn.execute(sa.select(cases.c.assignee_id).where(cases.c.id == case_id))
        found = value.scalar_one()
    return None if found is None else int(found)


@pytest.mark.slow
def test_two_tiers_share_presence_live_events_and_turns(
    tmp_path: Path, postgres_schema: str
) -> None:
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{postgres_schema}"
    database = Database(url)
    database.upgrade()
    token = token_for(
        database, add_user(database, "ops@tiers.test", "admin"), [p.value for p in Permission]
    )
    team = [agent(database, f"{name}@bank.test").id for name in ("ana", "ben", "cy")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    env.update(RAPPORT_DATABASE_URL=url, RAPPORT_DATA_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    one = ServeProcess(env, tmp_path / "one.log", token)
    other = ServeProcess(env, tmp_path / "other.log", token)
    try:
        one.wait_ready()
        other.wait_ready()
        (case_id,) = open_cases(database, 1)

        # Presence posted on one tier is seen on the other.
        posted = one.client.post(f"/api/v1/cases/{case_id}/presence", json={"typing": True})
        assert posted.status_code == 200, posted.text
        shown = other.client.get(f"/api/v1/cases/{case_id}").json()["viewers"]
        assert [(v["name"], v["typing"]) for v in shown] == [("Ops", True)]

        # A claim through the other tier reaches this tier's console stream.
        heard: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=follow_events, args=(one, token, heard), daemon=True).start()
        assert heard.get(timeout=30) == {"type": "connected"}
        time.sleep(1)  # the relay's next pass starts from here
        claimed = other.client.post(f"/api/v1/cases/{case_id}/claim")
        assert claimed.status_code == 200, claimed.text
        sent = time.monotonic()
        # (The relay may first announce the case's opening, committed just before the
        # stream began: it reads from its last pass, up to half a second before.)
        event = heard.get(timeout=10)
        while event["change"] == "opened":
            event = heard.get(timeout=10)
        latency = time.monotonic() - sent
        assert (event["type"], event["id"], event["team"], event["change"]) == (
            "case", case_id, "cards", "claimed"
        )  # fmt: skip
        print(f"a claim on one tier reached the other's console in {latency:.2f} s")
        assert latency < 3
        set_case(database, case_id, status="resolved", assignee_id=None)

        # Assignment runs alternating between the tiers take turns as one.
        chosen = []
        for i, tier in enumerate([one, other, one, other]):
            (waiting,) = open_cases(database, i + 2)[i + 1 :]
            run = tier.client.post("/api/v1/assign/run")
            assert run.status_code == 200, run.text
            assert run.json()["assigned"] == 1
            chosen.append(holder(database, waiting))
            set_case(database, waiting, status="resolved")
        assert chosen == [team[0], team[1], team[2], team[0]]
        until(lambda: not heard.empty())  # the assignments reached the console too
    finally:
        one.close()
        other.close()
        database.close()
