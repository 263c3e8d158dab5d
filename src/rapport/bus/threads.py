"""Workers on threads of this process: the bus pipeline without extra processes.

`rapport serve --bus memory` uses it, and so do the tests and the scale benchmark's
embedded run. Over NATS the same class lets one process host several groups.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

from rapport.bus.base import RAW, Bus
from rapport.bus.codec import encode
from rapport.bus.groups import SPLIT, group
from rapport.bus.worker import Worker
from rapport.pipeline.stage import Stage
from rapport.records import Batch


class WorkerThreads:
    def __init__(
        self,
        bus: Bus,
        pipeline: Sequence[Stage],
        *,
        groups: Iterable[str] = SPLIT,
        max_attempts: int = 5,
        poll: float = 0.2,
        on_done: Callable[[Batch], None] | None = None,
    ) -> None:
        self.bus = bus
        chosen = list(groups)
        self.workers = [
            Worker(
                bus,
                group(name, pipeline),
                max_attempts=max_attempts,
                poll=poll,
                on_done=on_done if name == chosen[-1] else None,
            )
            for name in chosen
        ]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> WorkerThreads:
        for worker in self.workers:
            thread = threading.Thread(
                target=worker.run, args=(self._stop,), name=f"rapport-{worker.group.name}",
                daemon=True,
            )  # fmt: skip
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Drain: each worker finishes the messages in hand, then its thread ends."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()

    def __enter__(self) -> WorkerThreads:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def submit(bus: Bus, batch: Batch, *, msg_id: str, topic: str = RAW) -> int:
    """Publish a batch to `topic`, in as many messages as its size needs."""
    parts = encode(batch)
    for index, part in enumerate(parts):
        bus.publish(topic, part, msg_id=msg_id if len(parts) == 1 else f"{msg_id}.{index}")
    return len(parts)
