"""A worker: pull batches from the group's topic, run its stages, pass the result on.

The order of events for one message is what makes a crash harmless:

1. decode; a message that is not a batch goes to the dead letters at once;
2. run the stages; the persist stage commits to the database here;
3. publish the output to the next topic and wait for the bus to confirm it is stored;
4. acknowledge the input.

A worker killed anywhere before 4 leaves the message to be delivered again. Running it
again is harmless: the database stores a post once per (network, source id) and only
newly stored posts open cases, and the output is published under the same ids, which the
bus stores once.

Failures are of two kinds. A service that is down (the database, the bus) is waited for
in place, with back-off, holding the message: it is nobody's fault and another worker
would fail the same way. Any other error gives the message back for another attempt,
and after `max_attempts` it goes to the dead letters with the error as its reason, so one
poison message never blocks the rest.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

from rapport.bus.base import Bus, Delivery
from rapport.bus.codec import MAX_MESSAGE_BYTES, decode, encode
from rapport.bus.groups import StageGroup
from rapport.bus.metrics import WorkerMetrics
from rapport.errors import InputError, Unavailable
from rapport.records import Batch
from rapport.store.outage import DATABASE_DOWN

log = logging.getLogger(__name__)

# Errors that mean "a service is down", not "this message is bad".
TRANSIENT: tuple[type[BaseException], ...] = (
    Unavailable,
    *DATABASE_DOWN,
    ConnectionError,
)


class Worker:
    def __init__(
        self,
        bus: Bus,
        group: StageGroup,
        *,
        fetch: int = 4,
        max_attempts: int = 5,
        poll: float = 1.0,
        metrics: WorkerMetrics | None = None,
        max_bytes: int = MAX_MESSAGE_BYTES,
        on_done: Callable[[Batch], None] | None = None,
    ) -> None:
        self.bus, self.group = bus, group
        self.fetch, self.max_attempts, self.poll = fetch, max_attempts, poll
        self.metrics = metrics or WorkerMetrics(group.name)
        self.max_bytes = max_bytes
        self.on_done = on_done
        self._last_lag_check = 0.0
        self._in_hand: Sequence[Delivery] = []  # fetched, not yet handled

    def run(self, stop: threading.Event) -> None:
        """Work until `stop` is set, then finish the messages in hand and return (a drain)."""
        log.info("worker %s reading %s", self.group.name, self.group.spec.consumes)
        while not stop.is_set():
            self.run_once(stop)

    def run_once(self, stop: threading.Event | None = None) -> int:
        """One fetch and its messages; returns how many messages were settled."""
        stop = stop or threading.Event()
        try:
            deliveries = self.bus.fetch(
                self.group.spec.consumes, self.group.name, limit=self.fetch, timeout=self.poll
            )
        except Unavailable as exc:
            self.metrics.unhealthy(str(exc))
            stop.wait(1.0)
            return 0
        for index, delivery in enumerate(deliveries):
            # While one message is held through an outage, the ones fetched with it wait
            # their turn; they stay ours too, or the bus would hand them out again (and,
            # outage after outage, count them towards the dead letters).
            self._in_hand = deliveries[index + 1 :]
            self.handle(delivery, stop)
        self._in_hand = []
        self._report_lag()
        return len(deliveries)

    def handle(self, delivery: Delivery, stop: threading.Event) -> None:
        topic = self.group.spec.consumes
        where = f"{topic} message {delivery.msg_id or '(no id)'}"
        if delivery.attempt > self.max_attempts:
            # Earlier deliveries were never settled: each time, the worker holding it died
            # or stalled past the acknowledgement wait, likely because of this message.
            self._dead(
                delivery,
                f"delivered {delivery.attempt} times without being acknowledged; the "
                "workers that took it died or stalled",
            )
            return
        try:
            batch = decode(delivery.data, where=where)
        except InputError as exc:
            self._dead(delivery, str(exc))
            return
        started = time.perf_counter()
        backoff = 0.5
        while True:
            try:
                self._process(delivery, batch)
                break
            except TRANSIENT as exc:
                self.metrics.unhealthy(f"{type(exc).__name__}: {exc}")
                log.warning("%s: %s; retrying in %.1f s", where, exc, backoff)
                if not self._hold(delivery, backoff, stop):
                    self._settle(lambda: delivery.retry(0.0))
                    return
                backoff = min(backoff * 2, 10.0)
            except Exception as exc:
                log.exception("%s failed on attempt %d", where, delivery.attempt)
                self.metrics.count(outcome="failed")
                reason = f"{self.group.name} stage failed: {type(exc).__name__}: {exc}"
                if delivery.attempt >= self.max_attempts:
                    self._dead(delivery, reason)
                else:
                    self._settle(lambda: delivery.retry(min(2.0**delivery.attempt, 30.0)))
                return
        self.metrics.healthy()
        self.metrics.processed(batch, time.perf_counter() - started)

    def _process(self, delivery: Delivery, batch: Batch) -> None:
        for stage in self.group.stages:
            batch = stage.process(batch)
        produces = self.group.spec.produces
        if produces is not None:
            for index, part in enumerate(encode(batch, max_bytes=self.max_bytes)):
                self.bus.publish(
                    produces, part, msg_id=f"{delivery.msg_id}/{self.group.name}.{index}"
                )
        delivery.ack()
        if self.on_done is not None:
            self.on_done(batch)

    def _hold(self, delivery: Delivery, seconds: float, stop: threading.Event) -> bool:
        """Wait `seconds` keeping the message ours (well inside the acknowledgement wait);
        False when told to stop meanwhile."""
        beat = max(0.05, self.bus.ack_wait / 3)
        waited = 0.0
        while waited < seconds:
            step = min(beat, seconds - waited)
            if stop.wait(step):
                return False
            waited += step
            for held in (delivery, *self._in_hand):
                self._settle(held.working)
        return True

    def _dead(self, delivery: Delivery, reason: str) -> None:
        log.error("dead letter from %s: %s", self.group.spec.consumes, reason)
        self.metrics.count(outcome="dead")
        self._settle(lambda: self.bus.dead_letter(self.group.spec.consumes, delivery, reason))

    def _settle(self, action: Callable[[], None]) -> None:
        try:
            action()
        except Unavailable as exc:
            # The bus will deliver the message again after its acknowledgement wait.
            self.metrics.unhealthy(str(exc))

    def _report_lag(self) -> None:
        now = time.monotonic()
        if now - self._last_lag_check < 1.0:
            return
        self._last_lag_check = now
        try:
            lag = self.bus.pending(self.group.spec.consumes, self.group.name)
        except Unavailable:
            return
        self.metrics.lag(lag)
