"""A real server on a free port with a seeded database, and Debian's Chromium driven by
Playwright (never a downloaded browser). Without /usr/bin/chromium the tests are skipped
locally and fail on CI."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from rapport.demo.accounts import ensure_demo_accounts
from rapport.pipeline.build import build_runner
from rapport.pipeline.runner import Runner
from rapport.settings import Settings
from rapport.store import Database
from rapport.web.app import create_app

CHROMIUM = "/usr/bin/chromium"


@dataclass
class LiveServer:
    url: str
    database: Database
    runner: Runner


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    settings = Settings.load({"data_dir": tmp_path, "own_handles": "NovaCardHelp"}, environ={})
    database = Database(settings.database_url)
    database.upgrade()
    ensure_demo_accounts(database)
    runner = build_runner(settings, database)
    app = create_app(settings, database, runner)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", database, runner)
    server.should_exit = True
    thread.join(timeout=10)
    database.close()


@pytest.fixture
def browser() -> Iterator[object]:
    """One browser per test: Playwright's sync API keeps an event loop running on this
    thread while it is open, which later tests that start their own loop cannot share."""
    if not shutil.which("chromium") and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is required on CI: apt-get install -y chromium")
        pytest.skip("no /usr/bin/chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()
