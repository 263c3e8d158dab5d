"""`rapport serve` believes X-Forwarded-For only from the proxies it is told to trust: a
client that rotates the header is still one address, to the login throttle and the audit
log alike. These run the server as `serve` configures it, since the header was trusted by
the HTTP server before the application saw the request."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
import uvicorn

from rapport.auth import throttle
from rapport.settings import Settings
from rapport.store import Database
from rapport.store.audit import list_entries
from rapport.web.server import serve
from tests.web.test_access import cheap_hashing

__all__ = ["cheap_hashing"]

Serving = Callable[[str], httpx.Client]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def served(
    settings: Settings, database: Database, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Serving]:
    """Starts `serve` with the given trusted proxies; gives a client of it."""
    started: list[uvicorn.Server] = []
    threads: list[threading.Thread] = []
    clients: list[httpx.Client] = []

    def run_in_place(app: Any, **options: Any) -> None:
        # `serve` decides the options; this only keeps the server where the test can stop it.
        server = uvicorn.Server(uvicorn.Config(app, **options))
        started.append(server)
        server.run()

    monkeypatch.setattr(uvicorn, "run", run_in_place)

    def start(trusted_proxies: str) -> httpx.Client:
        port = _free_port()
        chosen = replace(settings, port=port, trusted_proxies=trusted_proxies)
        thread = threading.Thread(target=serve, args=(chosen, database), daemon=True)
        thread.start()
        threads.append(thread)
        deadline = time.monotonic() + 30
        while not (started and started[-1].started):
            assert thread.is_alive(), "serve stopped before it started"
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.05)
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        clients.append(client)
        return client

    yield start
    for client in clients:
        client.close()
    for server in started:
        server.should_exit = True
    for thread in threads:
        thread.join(timeout=20)


def failed_login_ips(database: Database) -> list[str | None]:
    with database.reading() as conn:
        entries = list_entries(conn, "default", limit=500, action="login.failed")
    return [entry.ip for entry in entries]


def spray(client: httpx.Client, attempts: int, forwarded: Callable[[int], str]) -> list[int]:
    """Wrong passwords for a different e-mail each time, the header rotated each time."""
    return [
        client.post(
            "/api/v1/login",
            json={"email": f"user{n}@example.com", "password": "wrong password"},
            headers={"X-Forwarded-For": forwarded(n)},
        ).status_code
        for n in range(attempts)
    ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_rotating_forwarded_for_from_an_untrusted_client_changes_nothing(
    served: Serving, database: Database
) -> None:
    client = served("")
    statuses = spray(client, throttle.MAX_PER_IP + 1, lambda n: f"203.0.113.{n + 1}")
    assert statuses == [401] * throttle.MAX_PER_IP + [429]
    assert set(failed_login_ips(database)) == {"127.0.0.1"}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_from_a_trusted_proxy_the_forwarded_address_is_used(
    served: Serving, database: Database
) -> None:
    client = served("127.0.0.0/8")
    # Each a different client behind the proxy: none is slowed by the others' failures.
    statuses = spray(client, throttle.MAX_PER_IP + 1, lambda n: f"9.9.9.9, 203.0.113.{n + 1}")
    assert statuses == [401] * (throttle.MAX_PER_IP + 1)
    ips = failed_login_ips(database)
    assert set(ips) == {f"203.0.113.{n + 1}" for n in range(throttle.MAX_PER_IP + 1)}
    assert len(ips) == throttle.MAX_PER_IP + 1
