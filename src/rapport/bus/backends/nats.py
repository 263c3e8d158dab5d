"""NATS JetStream: durable work-queue streams shared by workers on many machines.

Each topic is a file-backed stream with work-queue retention (a message is deleted once a
worker acknowledges it) and a two-minute duplicate window keyed by `Nats-Msg-Id`, so a
stage that publishes its output twice (it died before acknowledging its input) stores it
once. Each worker group is a durable pull consumer with explicit acknowledgement and a
bound on messages in flight, which is the back-pressure across machines. Messages no
worker can process go to the dead-letter stream, kept 30 days with their reason.

nats-py is asyncio; the stages are not. The client runs on its own event loop in a
background thread, and this class offers blocking calls over it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext, api
from nats.js.errors import NotFoundError

from rapport.bus.base import TOPICS, Bus, DeadLetter, Delivery
from rapport.errors import Unavailable

T = TypeVar("T")
DEAD = "dead"
DUPLICATE_WINDOW = 120.0
DEAD_LETTER_DAYS = 30
CALL_TIMEOUT = 30.0


class _NatsDelivery(Delivery):
    def __init__(self, bus: NatsBus, msg: Msg) -> None:
        self._bus, self._msg = bus, msg
        self.data = msg.data
        self.msg_id = (msg.headers or {}).get("Nats-Msg-Id", "")
        self.attempt = msg.metadata.num_delivered or 1

    def ack(self) -> None:
        # Confirmed by the server: the message is gone from the stream when this returns.
        self._bus._call(self._msg.ack_sync())

    def retry(self, delay: float) -> None:
        self._bus._call(self._msg.nak(delay=delay if delay > 0 else None))

    def working(self) -> None:
        self._bus._call(self._msg.in_progress())

    def terminate(self) -> None:
        self._bus._call(self._msg.term())


class NatsBus(Bus):
    def __init__(
        self,
        url: str,
        *,
        prefix: str = "rapport",
        ack_wait: float = 30.0,
        in_flight: int = 64,
        max_bytes: int = 1 << 30,
        connect_timeout: float = 5.0,
    ) -> None:
        self.url, self.prefix, self.ack_wait, self.in_flight = url, prefix, ack_wait, in_flight
        self.max_bytes = max_bytes
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="rapport-nats", daemon=True
        )
        self._thread.start()
        self._subscriptions: dict[tuple[str, str], JetStreamContext.PullSubscription] = {}
        self._ready: set[str] = set()
        try:
            self._client: Client = self._call(
                nats.connect(
                    # A cluster is named as a comma-separated list of its servers.
                    [server.strip() for server in url.split(",") if server.strip()],
                    connect_timeout=connect_timeout,
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    allow_reconnect=True,
                ),
                timeout=connect_timeout + 5,
            )
        except BaseException:
            self._stop_loop()
            raise
        self._js = self._client.jetstream(timeout=10)
        self._ensure(DEAD)

    # -- naming ------------------------------------------------------------------------
    def stream(self, topic: str) -> str:
        return f"{self.prefix}_{topic}".upper().replace(".", "_").replace("-", "_")

    def subject(self, topic: str) -> str:
        return f"{self.prefix}.{topic}"

    # -- Bus ---------------------------------------------------------------------------
    def publish(self, topic: str, data: bytes, *, msg_id: str) -> None:
        self._ensure(topic)
        self._call(
            self._js.publish(
                self.subject(topic),
                data,
                stream=self.stream(topic),
                headers={"Nats-Msg-Id": msg_id},
            )
        )

    def fetch(self, topic: str, group: str, *, limit: int, timeout: float) -> list[Delivery]:
        subscription = self._subscription(topic, group)
        try:
            messages = self._call(
                subscription.fetch(batch=limit, timeout=timeout), timeout=timeout + CALL_TIMEOUT
            )
        except Unavailable as exc:
            if isinstance(exc.__cause__, NatsTimeout | FutureTimeout):
                return []  # nothing arrived in time
            raise
        return [_NatsDelivery(self, m) for m in messages]

    def dead_letter(self, topic: str, delivery: Delivery, reason: str) -> None:
        self._call(
            self._js.publish(
                self.subject(DEAD),
                delivery.data,
                stream=self.stream(DEAD),
                headers={
                    "Nats-Msg-Id": f"{topic}/{delivery.msg_id}",
                    "Rapport-Topic": topic,
                    "Rapport-Msg-Id": delivery.msg_id,
                    "Rapport-Attempts": str(delivery.attempt),
                    # Headers are one line; the reason may quote a multi-line error.
                    "Rapport-Reason": " ".join(reason.split())[:1000],
                },
            )
        )
        if isinstance(delivery, _NatsDelivery):
            delivery.terminate()
        else:
            delivery.ack()

    def dead_letters(self, limit: int = 100) -> Sequence[DeadLetter]:
        async def read() -> list[DeadLetter]:
            info = await self._js.stream_info(self.stream(DEAD))
            found: list[DeadLetter] = []
            if not info.state.messages:
                return found
            seq = max(1, info.state.first_seq)
            while seq <= info.state.last_seq and len(found) < limit:
                try:
                    raw = await self._js.get_msg(self.stream(DEAD), seq=seq)
                except NotFoundError:
                    seq += 1
                    continue
                headers = raw.headers or {}
                found.append(
                    DeadLetter(
                        topic=headers.get("Rapport-Topic", ""),
                        msg_id=headers.get("Rapport-Msg-Id", ""),
                        reason=headers.get("Rapport-Reason", ""),
                        attempts=int(headers.get("Rapport-Attempts", "0") or 0),
                        data=raw.data or b"",
                    )
                )
                seq += 1
            return found

        return self._call(read())

    def pending(self, topic: str, group: str) -> int:
        self._ensure(topic)
        try:
            info = self._call(self._js.consumer_info(self.stream(topic), group))
        except Unavailable as exc:
            if isinstance(exc.__cause__, NotFoundError):
                return self._call(self._js.stream_info(self.stream(topic))).state.messages
            raise
        return int(info.num_pending or 0) + int(info.num_ack_pending or 0)

    def delete_streams(self) -> None:
        """Remove this prefix's streams (tests and `rapport bus reset`)."""

        async def delete() -> None:
            for topic in {*TOPICS, *self._ready, DEAD}:
                with contextlib.suppress(NotFoundError):
                    await self._js.delete_stream(self.stream(topic))

        self._call(delete())
        self._ready.clear()
        self._subscriptions.clear()

    def close(self) -> None:
        async def close() -> None:
            # Unsubscribing first keeps the server from pushing messages to a closing client
            # (those would wait out the acknowledgement wait before going elsewhere).
            for subscription in self._subscriptions.values():
                with contextlib.suppress(NatsError):
                    await subscription.unsubscribe()
            await self._client.close()

        try:
            self._call(close(), timeout=10)
        except Unavailable:
            pass
        finally:
            self._stop_loop()

    # -- plumbing ----------------------------------------------------------------------
    def _ensure(self, topic: str) -> None:
        if topic in self._ready:
            return
        name = self.stream(topic)
        dead = topic == DEAD
        config = api.StreamConfig(
            name=name,
            subjects=[self.subject(topic)],
            storage=api.StorageType.FILE,
            duplicate_window=DUPLICATE_WINDOW,
            retention=api.RetentionPolicy.LIMITS if dead else api.RetentionPolicy.WORK_QUEUE,
            max_age=DEAD_LETTER_DAYS * 86400.0 if dead else None,
            # A full topic refuses new messages (the publisher waits, or ingest answers 503)
            # rather than dropping old ones.
            max_bytes=None if dead else self.max_bytes,
            discard=api.DiscardPolicy.OLD if dead else api.DiscardPolicy.NEW,
        )

        async def ensure() -> None:
            try:
                await self._js.stream_info(name)
            except NotFoundError:
                await self._js.add_stream(config)

        self._call(ensure())
        self._ready.add(topic)

    def _subscription(self, topic: str, group: str) -> JetStreamContext.PullSubscription:
        key = (topic, group)
        if key not in self._subscriptions:
            self._ensure(topic)
            self._subscriptions[key] = self._call(
                self._js.pull_subscribe(
                    self.subject(topic),
                    durable=group,
                    stream=self.stream(topic),
                    config=api.ConsumerConfig(
                        durable_name=group,
                        ack_policy=api.AckPolicy.EXPLICIT,
                        ack_wait=self.ack_wait,
                        max_ack_pending=self.in_flight,
                        # Rapport decides when to give up (see the worker), so the server
                        # never silently stops delivering a message.
                        max_deliver=-1,
                    ),
                )
            )
        return self._subscriptions[key]

    def _call(self, coroutine: Coroutine[Any, Any, T], *, timeout: float = CALL_TIMEOUT) -> T:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except (NatsError, FutureTimeout, OSError) as exc:
            future.cancel()
            raise Unavailable(f"NATS at {self.url}: {type(exc).__name__}: {exc}") from exc

    def _stop_loop(self) -> None:
        async def cancel_the_rest() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        with contextlib.suppress(FutureTimeout, RuntimeError):
            asyncio.run_coroutine_threadsafe(cancel_the_rest(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()
