"""Worker processes for the fault tests: `rapport worker` as a user would start it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from rapport.demo.live import demo_overrides


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class WorkerProcess:
    def __init__(self, stage: str, env: dict[str, str], log: Path) -> None:
        self.stage = stage
        self.port = free_port()
        self.log = log
        self._out = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rapport", "worker", "--stage", stage,
             "--metrics-port", str(self.port)],
            env=env, stdout=self._out, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait_ready(self, within: float = 60) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.tail()
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError(f"worker {self.stage} did not start: {self.tail()}")

    def metrics(self) -> str:
        return httpx.get(f"http://127.0.0.1:{self.port}/metrics", timeout=5).text

    def health(self) -> int:
        return httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=5).status_code

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def terminate(self, within: float = 30) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(within)

    def tail(self) -> str:
        self._out.flush()
        return self.log.read_text(errors="replace")[-3000:]

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self._out.close()


def worker_env(tmp_path: Path, *, bus_url: str, prefix: str, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    env.update({f"RAPPORT_{k.upper()}": str(v) for k, v in demo_overrides({}).items()})
    env.update(
        RAPPORT_BUS=bus_url,
        RAPPORT_BUS_PREFIX=prefix,
        RAPPORT_BUS_ACK_WAIT="2",
        RAPPORT_DATABASE_URL=database_url,
        RAPPORT_DATA_DIR=str(tmp_path),
        PYTHONUNBUFFERED="1",
    )
    return env
