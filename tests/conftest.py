"""Shared fixtures. `database` runs each test against SQLite and PostgreSQL.

PostgreSQL is taken from RAPPORT_TEST_POSTGRES_URL (default: the CI service at
127.0.0.1:5432, database `test`). Each test gets its own schema, dropped afterwards.
Without a reachable server the PostgreSQL cases are skipped locally and fail on CI.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from rapport.records import Author, Post
from rapport.settings import Settings
from rapport.store import Database

POSTGRES_URL = os.environ.get(
    "RAPPORT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_dsn() -> str:
    return POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    try:
        with psycopg.connect(_postgres_dsn(), connect_timeout=3):
            return True
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required on CI but unreachable at {POSTGRES_URL}: {error}")
        return False


@pytest.fixture
def postgres_schema(postgres_available: bool) -> Iterator[str]:
    if not postgres_available:
        pytest.skip(f"no PostgreSQL at {POSTGRES_URL}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_postgres_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield schema
    with psycopg.connect(_postgres_dsn(), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database's URL, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rapport.db'}"
    else:
        schema = request.getfixturevalue("postgres_schema")
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    db.upgrade()
    yield db
    db.close()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings.load({"data_dir": tmp_path, "database_url": database_url}, environ={})


def make_post(source_id: str, text: str = "hello", **fields: Any) -> Post:
    author = fields.pop("author", None) or Author(source_id="a1", handle="alice", followers=10)
    fields.setdefault("network", "x")
    fields.setdefault("created_at", datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    return Post(source_id=source_id, author=author, text=text, **fields)
