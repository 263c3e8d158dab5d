"""Fixtures for accounts and access: a cheap password hasher, users, and the app with the
auth router, whose clock the tests move."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rapport.auth import passwords
from rapport.auth.users import new_user
from rapport.pipeline.build import build_runner
from rapport.records.accounts import User
from rapport.settings import Settings
from rapport.store import Database
from rapport.store.users import insert_user
from rapport.web.app import create_app

PASSWORD = "correct horse battery staple"
START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def cheap_hashing() -> Iterator[None]:
    """argon2 at production strength takes a tenth of a second a hash; tests need many."""
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    passwords.use_hasher(previous)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


MakeUser = Callable[..., User]


@pytest.fixture
def make_user(database: Database) -> MakeUser:
    def make(email: str, role: str = "agent", tenant: str = "default", **fields: object) -> User:
        password_hash = passwords.hash_password(PASSWORD)
        new = new_user(
            email=email,
            role=role,
            tenant=tenant,
            password_hash=password_hash,
            **fields,  # type: ignore[arg-type]
        )
        return database.write(lambda conn: insert_user(conn, new))

    return make


@pytest.fixture
def app(settings: Settings, database: Database, clock: Clock) -> FastAPI:
    app = create_app(settings, database, build_runner(settings, database, enrich=False))
    app.state.clock = clock
    return app


MakeClient = Callable[..., TestClient]


@pytest.fixture
def clients(app: FastAPI) -> Iterator[MakeClient]:
    """Clients of the app (each with its own cookies), closed after the test."""
    made: list[TestClient] = []

    def make(base_url: str = "http://testserver", ip: str = "testclient") -> TestClient:
        client = TestClient(app, base_url=base_url, client=(ip, 50000))
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Log in and return the CSRF token; the client keeps the cookie."""
    response = client.post("/api/v1/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return token
