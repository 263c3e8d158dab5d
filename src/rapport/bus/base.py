"""The bus interface: durable topics of encoded batches, shared by competing workers.

A stage group's workers pull from one topic under one durable name, so any number of them
share the work. A delivery is acknowledged only after its output is durable (published to
the next topic, or committed to the database); a worker that dies before then leaves the
message to be delivered again. Delivery is at least once; the stores' idempotent writes,
keyed by (network, source id), make the effect exactly once.

Backends live in `rapport.bus.backends`: `memory` (in-process, the embedded default and
the default test fixture) and `nats` (NATS JetStream, for many processes and machines).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

# The pipeline's durable topics, in the order a post passes through them.
RAW: Final = "raw"
ENRICHED: Final = "enriched"
ROUTED: Final = "routed"
TOPICS: Final = (RAW, ENRICHED, ROUTED)


class Delivery(ABC):
    """One message handed to one worker; it must be settled exactly once."""

    data: bytes
    msg_id: str  # the publisher's id: the same id published twice is stored once
    attempt: int  # 1 on the first delivery, 2 on the first redelivery, ...

    @abstractmethod
    def ack(self) -> None:
        """Done: the message's output is durable, never deliver it again."""

    @abstractmethod
    def retry(self, delay: float) -> None:
        """Failed for now: deliver it again after `delay` seconds, to any worker."""

    @abstractmethod
    def working(self) -> None:
        """Still being processed: restart the acknowledgement clock."""


@dataclass(frozen=True)
class DeadLetter:
    """A message no worker could process, kept with the reason."""

    topic: str
    msg_id: str
    reason: str
    attempts: int
    data: bytes


class Bus(ABC):
    """Durable topics with competing consumers; see the module docstring."""

    ack_wait: float = 30.0  # seconds a delivery may go unsettled before another worker gets it

    @abstractmethod
    def publish(self, topic: str, data: bytes, *, msg_id: str) -> None:
        """Store the message durably before returning; a repeated `msg_id` is stored once."""

    @abstractmethod
    def fetch(self, topic: str, group: str, *, limit: int, timeout: float) -> list[Delivery]:
        """Up to `limit` deliveries for worker group `group`, waiting at most `timeout` s.

        A delivery not settled within the bus's acknowledgement wait goes to another worker.
        """

    @abstractmethod
    def dead_letter(self, topic: str, delivery: Delivery, reason: str) -> None:
        """Keep the message aside with `reason`, then settle it so it is not delivered again."""

    @abstractmethod
    def dead_letters(self, limit: int = 100) -> Sequence[DeadLetter]:
        """The messages kept aside, oldest first."""

    @abstractmethod
    def pending(self, topic: str, group: str) -> int:
        """Messages on `topic` that group `group` has not acknowledged yet (its lag)."""

    def close(self) -> None:  # noqa: B027 - the memory bus holds nothing to release
        """Release connections."""
