"""The one writer: every write to the database runs on one thread, in submission order.

SQLite allows one writer at a time; funnelling writes through one thread turns lock
contention into a queue and keeps each batch in a single short transaction. PostgreSQL
uses the same path so behaviour does not change with the backend.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

import sqlalchemy as sa

T = TypeVar("T")

_STOP = object()


class Writer:
    def __init__(self, engine: sa.Engine, *, max_pending: int = 64) -> None:
        self._engine = engine
        self._jobs: queue.Queue[Any] = queue.Queue(maxsize=max_pending)
        self._thread = threading.Thread(target=self._run, name="rapport-writer", daemon=True)
        self._started = False
        self._lock = threading.Lock()

    def submit(self, job: Callable[[sa.Connection], T]) -> Future[T]:
        """Queue `job(connection)` to run in its own transaction; blocks while the queue is full."""
        with self._lock:
            if not self._started:
                self._thread.start()
                self._started = True
        future: Future[T] = Future()
        self._jobs.put((job, future))
        return future

    def call(self, job: Callable[[sa.Connection], T]) -> T:
        return self.submit(job).result()

    def close(self) -> None:
        with self._lock:
            if not self._started:
                return
            self._started = False
        self._jobs.put(_STOP)
        self._thread.join()
        self._thread = threading.Thread(target=self._run, name="rapport-writer", daemon=True)

    def _run(self) -> None:
        with self._engine.connect() as connection:
            # Backends read this to take the write lock up front (SQLite: BEGIN IMMEDIATE).
            connection.info["writer"] = True
            while True:
                item = self._jobs.get()
                if item is _STOP:
                    connection.info.pop("writer", None)
                    return
                job, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    with connection.begin():
                        result = job(connection)
                except BaseException as exc:
                    future.set_exception(exc)
                else:
                    future.set_result(result)
