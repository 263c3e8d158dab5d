"""End-to-end throughput and latency: the ingest API, enrichment, routing, PostgreSQL.

Usage (from the repository root; PostgreSQL at 127.0.0.1:5432 and NATS at 127.0.0.1:4222):

    .venv/bin/python benchmarks/scale.py                      # 1 and 2 workers per stage
    .venv/bin/python benchmarks/scale.py --posts 20000 --seconds 10 --workers 1

Each setup is started as a user would start it, in fresh processes on a fresh database
schema and fresh streams, and given the demo's rules and listening queries:

- embedded: `rapport serve` on SQLite, the stages in-process (the default a user gets);
- embedded-pg: the same on PostgreSQL;
- nats-N: `rapport serve --bus nats://...` (the web tier publishes what it parses) and N
  `rapport worker` processes for each of the enrich, route and persist stages.

Two measurements per setup, both through `POST /api/v1/posts` with 250 posts a request:

1. throughput: `--posts` generated multilingual posts, sent by 4 concurrent clients as
   fast as the server takes them; the clock stops when the last is in the database.
2. latency: posts offered at a steady `--rate` for `--seconds`, each stamped with the time
   it was sent; from the database, the time from that stamp to the post's `ingested_at`
   (written by the transaction that stores the post and routes it to its case), p50 and
   p99. If a setup cannot keep up, the backlog grows and so does the latency, and the
   achieved rate says so; the run is then repeated at 80% of its measured throughput.

Figures vary on a shared machine: run it three times and quote medians.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import psycopg
import sqlalchemy as sa

from rapport.auth.tokens import new_token
from rapport.auth.users import new_user
from rapport.bus.backends.nats import NatsBus
from rapport.demo.live import demo_overrides
from rapport.demo.stream import generate_posts
from rapport.store import Database, schema
from rapport.store.tokens import insert_token
from rapport.store.users import insert_user

PG = os.environ.get("RAPPORT_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NATS = os.environ.get("RAPPORT_BENCH_NATS", "nats://127.0.0.1:4222")
PER_REQUEST = 250
STAGES = ("enrich", "route", "persist")


@dataclass
class Result:
    setup: str
    throughput: float = 0.0
    offered: float = 0.0
    achieved: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    note: str = ""
    busy: dict[str, float] | None = None  # stage -> posts/s one worker does while busy
    cpu: dict[str, float] | None = None  # process role -> posts per CPU-second


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def posts(prefix: str, count: int, *, stamp: bool = False) -> Iterator[dict[str, Any]]:
    for n, data in enumerate(generate_posts(count, seed=zlib.crc32(prefix.encode()) % 1000)):
        data["source_id"] = f"{prefix}-{n}"
        for key in ("reply_to_id", "conversation_id", "quote_of_id", "repost_of_id"):
            if data.get(key):
                data[key] = f"{prefix}-{data[key]}"
        if stamp:
            data["created_at"] = ""  # filled in when sent
        yield data


@contextmanager
def database_for(setup: str, tmp: Path) -> Iterator[str]:
    if setup == "embedded":
        yield f"sqlite:///{tmp / f'{setup}.db'}"
        return
    name = f"bench_{uuid.uuid4().hex[:10]}"
    dsn = PG.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield f"{PG}?options=-csearch_path%3D{name}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')


def ingest_token(url: str) -> str:
    database = Database(url)
    database.upgrade()

    def make(conn: sa.Connection) -> str:
        user = insert_user(conn, new_user(email="bench@rapport.invalid", role="admin"))
        raw, token = new_token(user.id, "benchmark", ["posts:ingest"], datetime.now(UTC))
        insert_token(conn, token)
        return raw

    try:
        return database.write(make)
    finally:
        database.close()


class Setup:
    def __init__(self, name: str, url: str, tmp: Path, workers: int) -> None:
        self.name, self.url, self.workers = name, url, workers
        self.port = free_port()
        self.prefix = f"bench{uuid.uuid4().hex[:8]}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
        self.env.update({f"RAPPORT_{k.upper()}": str(v) for k, v in demo_overrides({}).items()})
        self.env.update(
            RAPPORT_DATABASE_URL=url,
            RAPPORT_DATA_DIR=str(tmp / name),
            RAPPORT_PORT=str(self.port),
            RAPPORT_MAX_REQUEST_BYTES=str(16 * 1024 * 1024),
        )
        if workers:
            self.env.update(RAPPORT_BUS=NATS, RAPPORT_BUS_PREFIX=self.prefix)
        self.log = (tmp / f"{name}.log").open("ab")
        self.processes: list[subprocess.Popen[bytes]] = []
        self.roles: list[str] = []  # what each process is: "web" or its stage
        self.metrics: dict[str, list[int]] = {}

    def start(self) -> None:
        rapport = [sys.executable, "-m", "rapport"]
        self.processes.append(self._spawn([*rapport, "serve"]))
        self.roles.append("web")
        for stage in STAGES if self.workers else ():
            for _ in range(self.workers):
                port = free_port()
                self.metrics.setdefault(stage, []).append(port)
                self.processes.append(
                    self._spawn([*rapport, "worker", "--stage", stage, "--metrics-port", str(port)])
                )
                self.roles.append(stage)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise SystemExit(f"{self.name}: the server did not start; see its log")

    def busy(self) -> dict[str, tuple[float, float]]:
        """Per stage, (posts, busy seconds) its workers have reported so far."""
        found = {}
        for stage, ports in self.metrics.items():
            posts = seconds = 0.0
            for port in ports:
                text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
                posts += _sample(text, "rapport_worker_posts_total")
                seconds += _sample(text, "rapport_worker_batch_seconds_sum")
            found[stage] = (posts, seconds)
        return found

    def cpu(self) -> dict[str, float]:
        """CPU seconds each role's processes have used so far (user + system)."""
        tick = os.sysconf("SC_CLK_TCK")
        found: dict[str, float] = {}
        for role, process in zip(self.roles, self.processes, strict=True):
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            found[role] = found.get(role, 0.0) + (int(fields[11]) + int(fields[12])) / tick
        # The servers' share too: PostgreSQL's backends and NATS work for every post.
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            name = text[text.index("(") + 1 : text.rindex(")")]
            server = {"postgres": "postgresql", "nats-server": "nats"}.get(name)
            if server is not None and (server == "postgresql" or self.workers):
                fields = text.rsplit(")", 1)[1].split()
                found[server] = found.get(server, 0.0) + (int(fields[11]) + int(fields[12])) / tick
        return found

    def _spawn(self, command: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.workers:
            bus = NatsBus(NATS, prefix=self.prefix)
            bus.delete_streams()
            bus.close()
        self.log.close()


def stored(database: Database, prefix: str) -> int:
    with database.reading() as conn:
        query = sa.select(sa.func.count()).where(schema.posts.c.source_id.like(f"{prefix}-%"))
        return int(conn.execute(query).scalar_one())


def wait_stored(database: Database, prefix: str, count: int, within: float) -> float:
    deadline = time.monotonic() + within
    while (found := stored(database, prefix)) < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {found} of {count} posts stored after {within:.0f} s")
        time.sleep(0.02)
    return time.perf_counter()


async def send_all(port: int, token: str, items: list[dict[str, Any]], clients: int) -> None:
    chunks = [items[i : i + PER_REQUEST] for i in range(0, len(items), PER_REQUEST)]
    queue: asyncio.Queue[list[dict[str, Any]]] = asyncio.Queue()
    for chunk in chunks:
        queue.put_nowait(chunk)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:

        async def one() -> None:
            while not queue.empty():
                chunk = queue.get_nowait()
                answer = await client.post("/api/v1/posts", content=orjson.dumps(chunk),
                                           headers=headers)  # fmt: skip
                if answer.status_code not in (200, 202):
                    raise SystemExit(f"ingest answered {answer.status_code}: {answer.text[:300]}")

        await asyncio.gather(*(one() for _ in range(clients)))


async def send_steadily(port: int, token: str, items: list[dict[str, Any]], rate: float) -> float:
    """Send at `rate` posts/s, stamping each request's posts with its send time."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    every = PER_REQUEST / rate
    chunks = [items[i : i + PER_REQUEST] for i in range(0, len(items), PER_REQUEST)]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=300) as client:
        started = time.monotonic()
        sends = []
        for n, chunk in enumerate(chunks):
            delay = started + n * every - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            now = datetime.now(UTC).isoformat()
            for data in chunk:
                data["created_at"] = now
            body = orjson.dumps(chunk)
            sends.append(asyncio.create_task(client.post("/api/v1/posts", content=body,
                                                         headers=headers)))  # fmt: skip
        answers = await asyncio.gather(*sends)
        bad = [a for a in answers if a.status_code not in (200, 202)]
        if bad:
            raise SystemExit(f"ingest answered {bad[0].status_code}: {bad[0].text[:300]}")
        return time.monotonic() - started


def latencies(database: Database, prefix: str) -> list[float]:
    with database.reading() as conn:
        rows = conn.execute(
            sa.select(schema.posts.c.created_at, schema.posts.c.ingested_at).where(
                schema.posts.c.source_id.like(f"{prefix}-%")
            )
        ).all()
    found = []
    for created, ingested in rows:
        created = created if created.tzinfo else created.replace(tzinfo=UTC)
        ingested = ingested if ingested.tzinfo else ingested.replace(tzinfo=UTC)
        found.append((ingested - created).total_seconds())
    return sorted(found)


def quantile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


def measure(setup: Setup, args: argparse.Namespace) -> Result:
    result = Result(setup.name)
    database = Database(setup.url)
    token = ingest_token(setup.url)
    setup.start()
    try:
        warm = list(posts("warm", 500))
        asyncio.run(send_all(setup.port, token, warm, 2))
        wait_stored(database, "warm", len(warm), 120)
        # Rates count from here: the first batches also load the models.
        before, cpu_before = setup.busy(), setup.cpu()

        load = list(posts("load", args.posts))
        started = time.perf_counter()
        asyncio.run(send_all(setup.port, token, load, 4))
        finished = wait_stored(database, "load", len(load), 600)
        result.throughput = len(load) / (finished - started)
        cpu_after = setup.cpu()
        result.cpu = {
            role: len(load) / (cpu_after[role] - cpu_before[role])
            for role in cpu_after
            if cpu_after[role] > cpu_before[role]
        }
        if setup.workers:
            after = setup.busy()
            result.busy = {
                stage: (posts - before[stage][0]) / (seconds - before[stage][1])
                for stage, (posts, seconds) in after.items()
                if seconds > before[stage][1]
            }

        rate = args.rate
        for attempt in range(2):
            prefix = f"lat{attempt}"
            steady = list(posts(prefix, int(rate * args.seconds), stamp=True))
            sent_for = asyncio.run(send_steadily(setup.port, token, steady, rate))
            wait_stored(database, prefix, len(steady), 600)
            found = latencies(database, prefix)
            result.offered = len(steady) / sent_for
            result.achieved = len(steady) / (args.seconds + found[-1])
            result.p50, result.p99 = quantile(found, 0.5), quantile(found, 0.99)
            # A backlog that grows for the whole run shows as a p99 near the run's length.
            if result.p99 < args.seconds / 2 or attempt == 1:
                break
            result.note = f"could not keep up with {rate:,.0f}/s (p99 {result.p99:.1f} s); "
            rate = 0.8 * result.throughput
        if result.note:
            result.note += f"the latency shown is at {rate:,.0f}/s"
    finally:
        setup.stop()
        database.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=30_000, help="posts for throughput")
    parser.add_argument("--rate", type=float, default=5_700.0, help="offered posts/s")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the steady run")
    parser.add_argument("--workers", default="1,2", help="workers per stage, comma-separated")
    parser.add_argument("--skip-embedded", action="store_true")
    args = parser.parse_args()
    setups: list[tuple[str, int]] = []
    if not args.skip_embedded:
        setups += [("embedded", 0), ("embedded-pg", 0)]
    setups += [(f"nats-{n}", int(n)) for n in args.workers.split(",") if n.strip()]
    results = []
    with tempfile.TemporaryDirectory(prefix="rapport-scale-") as where:
        tmp = Path(where)
        for name, workers in setups:
            with database_for(name, tmp) as url:
                print(f"== {name}", flush=True)
                result = measure(Setup(name, url, tmp, workers), args)
                results.append(result)
                print(_row(result), flush=True)
    print()
    print(f"{os.cpu_count()} CPUs; {args.posts:,} posts for throughput, {PER_REQUEST} per request")
    print(f"{'setup':<12} {'posts/s':>9} {'offered/s':>10} {'achieved/s':>11} "
          f"{'p50 ms':>8} {'p99 ms':>8}")  # fmt: skip
    for result in results:
        print(_row(result))
    base = next((r for r in results if r.setup == "embedded-pg"), None)
    for result in results:
        if base is not None and result.setup.startswith("nats"):
            print(f"{result.setup}: {result.throughput / base.throughput:.2f}x embedded-pg")
        if result.note:
            print(f"{result.setup}: {result.note}")
    for result in results:
        if result.cpu:
            used = ", ".join(f"{role} {rate:,.0f}" for role, rate in result.cpu.items())
            print(f"{result.setup}: posts per CPU-second by process: {used}")
    measured = [r for r in results if r.cpu and r.setup.startswith("nats")]
    if measured:
        _capacity(measured[0].cpu or {}, measured[0].busy or {})


def _sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def _capacity(cpu: dict[str, float], busy: dict[str, float]) -> None:
    """Processes per role for the average and the peak, each with a core and under 70% busy.

    From CPU time, not wall time: on this shared 2-core machine a process waits for a core
    as often as it works, which says nothing of a machine with a core per process."""
    print("capacity plan (a core per process, each kept under 70% busy):")
    for role, rate in cpu.items():
        average, peak = (-(-target // (rate * 0.7)) for target in (5_700, 143_199))
        wall = f" (wall-clock busy here: {busy[role]:,.0f}/s)" if role in busy else ""
        print(f"  {role:<8} {rate:>8,.0f} posts per CPU-second: "
              f"{average:>4,.0f} for 5,700/s, {peak:>5,.0f} for 143,199/s{wall}")  # fmt: skip


def _row(result: Result) -> str:
    return (
        f"{result.setup:<12} {result.throughput:>9,.0f} {result.offered:>10,.0f} "
        f"{result.achieved:>11,.0f} {result.p50 * 1000:>8,.0f} {result.p99 * 1000:>8,.0f}"
    )


if __name__ == "__main__":
    main()
