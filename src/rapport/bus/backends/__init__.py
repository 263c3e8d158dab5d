"""Bus backends: `memory` (in-process) and `nats` (NATS JetStream)."""

from __future__ import annotations

from rapport.bus.base import Bus
from rapport.errors import ConfigError
from rapport.settings import Settings


def bus_from_settings(settings: Settings) -> Bus:
    return open_bus(
        settings.bus,
        prefix=settings.bus_prefix,
        ack_wait=settings.bus_ack_wait,
        in_flight=settings.bus_in_flight,
        max_bytes=settings.bus_max_bytes,
    )


def open_bus(
    url: str,
    *,
    prefix: str = "rapport",
    ack_wait: float = 30.0,
    in_flight: int = 64,
    max_bytes: int = 1 << 30,
) -> Bus:
    """The bus a URL names: `memory` (or empty) for in-process, `nats://host:port` for NATS."""
    if url in ("", "memory"):
        from rapport.bus.backends.memory import MemoryBus

        return MemoryBus(ack_wait=ack_wait, max_bytes=max_bytes)
    if url.startswith(("nats://", "tls://")):
        from rapport.bus.backends.nats import NatsBus

        return NatsBus(
            url, prefix=prefix, ack_wait=ack_wait, in_flight=in_flight, max_bytes=max_bytes
        )
    raise ConfigError(
        f"bus URL {url!r} is not one Rapport knows; use 'memory' for the in-process bus "
        "or nats://HOST:PORT for NATS JetStream"
    )
