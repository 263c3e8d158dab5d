"""`bus` runs each test over every bus backend: the in-process one and NATS JetStream.

NATS is taken from RAPPORT_TEST_NATS_URL (default: the CI service at 127.0.0.1:4222).
Each test gets its own stream prefix, deleted afterwards. Without a reachable server the
NATS cases are skipped locally and fail on CI.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from rapport.bus.backends.memory import MemoryBus
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


@pytest.fixture(params=["memory", "nats"])
def bus(request: pytest.FixtureRequest, bus_prefix: str) -> Iterator[Bus]:
    if request.param == "memory":
        yield MemoryBus(ack_wait=ACK_WAIT)
        return
    if not request.getfixturevalue("nats_available"):
        pytest.skip(f"no NATS at {NATS_URL}")
    from rapport.bus.backends.nats import NatsBus

    nats_bus = NatsBus(NATS_URL, prefix=bus_prefix, ack_wait=ACK_WAIT)
    yield nats_bus
    nats_bus.delete_streams()
    nats_bus.close()
