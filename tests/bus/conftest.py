"""`bus` runs each test over every bus backend: the in-process one and NATS JetStream.

NATS is taken from RAPPORT_TEST_NATS_URL (default: the CI service at 127.0.0.1:4222).
Each test gets its own stream prefix, deleted afterwards. Without a reachable server the
NATS cases are skipped locally and fail on CI.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import urlparse

import pytest

from rapport.bus.backends import open_bus
from rapport.bus.backends.nats import NatsBus
from rapport.bus.base import Bus

NATS_URL = os.environ.get("RAPPORT_TEST_NATS_URL", "nats://127.0.0.1:4222")
ACK_WAIT = 1.0  # seconds; short, so that tests see redelivery quickly


@pytest.fixture(scope="session")
def nats_available() -> bool:
    where = urlparse(NATS_URL)
    try:
        with socket.create_connection((where.hostname or "127.0.0.1", where.port or 4222), 3):
            return True
    except OSError as error:
        if os.environ.get("CI"):
            pytest.fail(f"NATS is required on CI but unreachable at {NATS_URL}: {error}")
        return False


@pytest.fixture
def bus_prefix() -> str:
    return f"t{uuid.uuid4().hex[:10]}"


BusFactory = Callable[..., Bus]


@pytest.fixture(params=["memory", "nats"])
def bus_factory(request: pytest.FixtureRequest, bus_prefix: str) -> Iterator[BusFactory]:
    """Makes buses of one backend (keyword arguments as `open_bus` takes); closes them after."""
    made: list[Bus] = []
    if request.param == "nats" and not request.getfixturevalue("nats_available"):
        pytest.skip(f"no NATS at {NATS_URL}")

    def make(**options: object) -> Bus:
        url = "memory" if request.param == "memory" else NATS_URL
        options.setdefault("ack_wait", ACK_WAIT)
        found = open_bus(url, prefix=f"{bus_prefix}{len(made)}", **options)  # type: ignore[arg-type]
        made.append(found)
        return found

    yield make
    for each in made:
        if isinstance(each, NatsBus):
            each.delete_streams()
        each.close()


@pytest.fixture
def bus(bus_factory: BusFactory) -> Bus:
    return bus_factory()
