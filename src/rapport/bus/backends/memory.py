"""The in-process bus: real acknowledgement, redelivery and dead letters, in one process.

It keeps work-queue semantics, like the NATS backend's streams: each topic has one worker
group, whose workers compete for its messages, and an acknowledged message is gone.
Nothing survives the process, which is what the embedded mode wants: there, the durable
record is the database, and a file ingest that stops is simply run again.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapport.bus.base import Bus, DeadLetter, Delivery
from rapport.errors import ConfigError, Unavailable

DUPLICATE_WINDOW = 120.0  # seconds a published id is remembered, as JetStream's default


@dataclass
class _Message:
    msg_id: str
    data: bytes
    attempts: int = 0
    token: int = 0  # which delivery of it is current; a stale one cannot settle it


@dataclass
class _Topic:
    group: str | None = None
    messages: dict[int, _Message] = field(default_factory=dict)
    ready: deque[int] = field(default_factory=deque)
    delayed: list[tuple[float, int]] = field(default_factory=list)  # heap of (due, seq)
    in_flight: dict[int, float] = field(default_factory=dict)  # seq -> deadline
    seen: dict[str, float] = field(default_factory=dict)  # msg_id -> when published
    size: int = 0  # bytes of the messages held


class _MemoryDelivery(Delivery):
    def __init__(self, bus: MemoryBus, topic: str, seq: int, message: _Message) -> None:
        self._bus, self._topic, self._seq, self._token = bus, topic, seq, message.token
        self.data, self.msg_id, self.attempt = message.data, message.msg_id, message.attempts

    def ack(self) -> None:
        self._bus._settle(self._topic, self._seq, self._token, retry_in=None)

    def retry(self, delay: float) -> None:
        self._bus._settle(self._topic, self._seq, self._token, retry_in=max(0.0, delay))

    def working(self) -> None:
        self._bus._extend(self._topic, self._seq, self._token)


class MemoryBus(Bus):
    def __init__(self, *, ack_wait: float = 30.0, max_bytes: int = 1 << 30) -> None:
        self.ack_wait, self.max_bytes = ack_wait, max_bytes
        self._topics: dict[str, _Topic] = {}
        self._dead: list[DeadLetter] = []
        self._sequence = itertools.count(1)
        self._tokens = itertools.count(1)
        self._changed = threading.Condition()

    def publish(self, topic: str, data: bytes, *, msg_id: str) -> None:
        now = time.monotonic()
        with self._changed:
            state = self._topics.setdefault(topic, _Topic())
            if len(state.seen) > 10_000:
                state.seen = {k: t for k, t in state.seen.items() if now - t < DUPLICATE_WINDOW}
            published = state.seen.get(msg_id)
            if published is not None and now - published < DUPLICATE_WINDOW:
                return
            if state.size + len(data) > self.max_bytes:
                raise Unavailable(
                    f"topic {topic!r} is full ({state.size} bytes held, RAPPORT_BUS_MAX_BYTES "
                    f"{self.max_bytes}); its workers are behind, try again shortly"
                )
            state.seen[msg_id] = now
            state.size += len(data)
            seq = next(self._sequence)
            state.messages[seq] = _Message(msg_id, bytes(data))
            state.ready.append(seq)
            self._changed.notify_all()

    def fetch(self, topic: str, group: str, *, limit: int, timeout: float) -> list[Delivery]:
        deadline = time.monotonic() + timeout
        with self._changed:
            state = self._topics.setdefault(topic, _Topic())
            if state.group is None:
                state.group = group
            elif state.group != group:
                raise ConfigError(
                    f"topic {topic!r} is consumed by group {state.group!r}; a work queue has "
                    f"one group, so {group!r} cannot read it"
                )
            while True:
                now = time.monotonic()
                self._requeue(state, now)
                if state.ready:
                    found: list[Delivery] = []
                    while state.ready and len(found) < limit:
                        seq = state.ready.popleft()
                        message = state.messages.get(seq)
                        if message is None:
                            continue
                        message.attempts += 1
                        message.token = next(self._tokens)
                        state.in_flight[seq] = now + self.ack_wait
                        found.append(_MemoryDelivery(self, topic, seq, message))
                    return found
                if now >= deadline:
                    return []
                wake = min([deadline, *state.in_flight.values(), *(d for d, _ in state.delayed)])
                self._changed.wait(max(0.001, wake - now))

    def dead_letter(self, topic: str, delivery: Delivery, reason: str) -> None:
        with self._changed:
            self._dead.append(
                DeadLetter(topic, delivery.msg_id, reason, delivery.attempt, delivery.data)
            )  # kept apart from the topics, so that a full topic never refuses a dead letter
        delivery.ack()

    def dead_letters(self, limit: int = 100) -> Sequence[DeadLetter]:
        with self._changed:
            return list(self._dead[:limit])

    def pending(self, topic: str, group: str) -> int:
        with self._changed:
            state = self._topics.get(topic)
            return 0 if state is None else len(state.messages)

    def _requeue(self, state: _Topic, now: float) -> None:
        for seq, deadline in list(state.in_flight.items()):
            if deadline <= now:  # its worker died or stalled: another gets it
                del state.in_flight[seq]
                state.ready.append(seq)
        while state.delayed and state.delayed[0][0] <= now:
            _, seq = heapq.heappop(state.delayed)
            state.ready.append(seq)

    def _settle(self, topic: str, seq: int, token: int, *, retry_in: float | None) -> None:
        with self._changed:
            state = self._topics[topic]
            message = state.messages.get(seq)
            if message is None or message.token != token or seq not in state.in_flight:
                return  # settled already, or redelivered since: the newer delivery decides
            del state.in_flight[seq]
            if retry_in is None:
                del state.messages[seq]
                state.size -= len(message.data)
            else:
                heapq.heappush(state.delayed, (time.monotonic() + retry_in, seq))
            self._changed.notify_all()

    def _extend(self, topic: str, seq: int, token: int) -> None:
        with self._changed:
            state = self._topics[topic]
            message = state.messages.get(seq)
            if message is not None and message.token == token and seq in state.in_flight:
                state.in_flight[seq] = time.monotonic() + self.ack_wait
