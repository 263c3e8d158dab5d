"""Work a process does every so often on a background thread (the SLA watch, the case
relay, the scheduled report, the demo's team). A pass that fails is logged and the next
one runs as planned: a busy or restarting database must not end the work for good."""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod

_log = logging.getLogger(__name__)


class Periodic(ABC):
    def __init__(self, name: str, interval: float, *, first_at_start: bool = False) -> None:
        self.interval = interval
        self._first_at_start = first_at_start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"rapport-{name}", daemon=True)

    @abstractmethod
    def run_once(self) -> object:
        """One pass of the work."""

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        if self._first_at_start:
            self._pass()
        while not self._stop.wait(self.interval):
            self._pass()

    def _pass(self) -> None:
        try:
            self.run_once()
        except Exception:
            _log.warning("%s: a pass failed; the next one runs as planned",
                         self._thread.name, exc_info=True)  # fmt: skip
