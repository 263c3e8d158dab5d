"""The agent console under load: simulated agents against Rapport's API on PostgreSQL.

Usage (from the repository root):

    .venv/bin/python benchmarks/console.py                  # 1,000,000 posts, 100,000 cases, 60 s
    .venv/bin/python benchmarks/console.py --quick          # 50,000 posts, 5,000 cases, 10 s
    .venv/bin/python benchmarks/console.py --posts 200000 --cases 20000 --seconds 30 \\
        --json console.json --explain --keep
    .venv/bin/python benchmarks/console.py --reuse --seconds 60   # the kept database again
    .venv/bin/python benchmarks/console.py --reuse --think 2      # agents pause ~2 s per step
    .venv/bin/python benchmarks/console.py --reuse --no-sla-watch # diagnosis: without the watch

What happens:
1. data: a fresh PostgreSQL database (`--database`, default rapport_bench) brought to the
   newest migration, then loaded directly (not through ingest, which `benchmarks/ingest.py`
   measures): the generated demo stream COPied into `posts` (with the full-text column and
   every index in place) and `authors`; `analyses` for every post (a random intent, its
   team, urgency and a skewed priority); then `--cases` open cases over the 7 teams, each
   holding 1-5 posts of one conversation (`case_posts`), with an 'opened' event, opened
   recently enough that its clock is 'ok' (first-response deadlines spread over the next
   15 minutes to 4 hours, by team policy). Then ANALYZE. 50 agents (role agent, every
   team, one API token each with all the scopes the role allows).
2. server: Rapport's own app (`create_app` with the whole pipeline, without the models)
   under uvicorn, one worker, in a separate process; replies go to the simulated network.
3. load: `--agents` agents, each on its own API token, through one shared HTTP client, for
   `--seconds`. No think time by default (`--think S`: a random pause, S on average, before
   each step), each agent loops as fast as the server answers it. A loop: list its team's
   queue (25 cases), claim one of them (when the claim route exists; a 409
   because another agent was first is counted as contention, and the agent tries another
   case), read the thread, reply (with an Idempotency-Key), release it (when that route
   exists). Agent i works team i mod 7.
Before the run, one pass of the SLA watch is timed on its own: the server runs one every 10
seconds through its one writer, and every open case is in it.
Percentiles are over the 2xx answers; every other answer and every exception is an error.
The target (from the issue): queue listing and thread view p95 under 100 ms, no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import cycle
from pathlib import Path
from typing import Any

import httpx
import psycopg
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get(
    "RAPPORT_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
).replace("+psycopg", "")
TARGET_P95_MS = 100.0
AGENT_EMAIL = "agent{}@console.bench"
REPLY_TEXT = "Thanks for telling us. We are looking into it now and will update you here."
OPERATIONS = ("queue", "claim", "thread", "reply", "release")
SAMPLES_PER_KIND = 3


# Data ------------------------------------------------------------------------------------


def database_url(name: str) -> str:
    base, _, _ = ADMIN_URL.rpartition("/")
    return f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"


def raw_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def database_exists(name: str) -> bool:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return found is not None


def create_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _json_list(items: list[str]) -> str:
    return json.dumps(items, ensure_ascii=False) if items else "[]"


def copy_posts(conn: psycopg.Connection[Any], count: int, seed: int) -> int:
    """COPY `count` generated posts (ids 1..count) and their authors; returns authors."""
    from rapport.demo.stream import generate_posts
    from rapport.store.rows import AUTHOR_COLUMNS, POST_COLUMNS

    now = datetime.now(UTC)
    authors: dict[tuple[str, str], dict[str, Any]] = {}
    columns = ", ".join(("id", *POST_COLUMNS))
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY posts ({columns}) FROM STDIN") as copy:
            for post_id, post in enumerate(generate_posts(count, seed=seed), start=1):
                author, metrics = post["author"], post["metrics"]
                authors[(post["network"], author["source_id"])] = author
                copy.write_row(
                    (
                        post_id, post["network"], post["source_id"], author["source_id"],
                        author["handle"], post["text"], post["created_at"], now,
                        post["conversation_id"], post["reply_to_id"], None, None,
                        post["lang"], _json_list(post["links"]), "[]", "[]", "[]", "[]",
                        post["has_media"], _json_list(post["media_types"]),
                        metrics["likes"], metrics["reposts"], metrics["replies"],
                        metrics["quotes"], metrics["views"],
                    )
                )  # fmt: skip
        with cursor.copy(f"COPY authors ({', '.join(AUTHOR_COLUMNS)}) FROM STDIN") as copy:
            for (network, _), a in authors.items():
                copy.write_row(
                    (
                        network, a["source_id"], a["handle"], a["display_name"],
                        a["followers"], a["following"], a["verified"], a["post_count"],
                        a["created_at"], now,
                    )
                )  # fmt: skip
        cursor.execute("SELECT setval(pg_get_serial_sequence('posts', 'id'), %s)", (count,))
    return len(authors)


def write_analyses(conn: psycopg.Connection[Any], seed: int) -> None:
    """An analysis for every post: a random intent with its team, urgency and priority."""
    from rapport.nlp.intent import DEFAULT_TEAMS, INTENTS, TEAMS

    rng = random.Random(seed)
    by_team: dict[str, list[str]] = {team: [] for team in TEAMS}
    for intent in INTENTS:
        by_team.setdefault(DEFAULT_TEAMS.get(intent, "general"), []).append(intent)
    # Twelve slots per team, so that each queue holds a seventh of the cases.
    choices = [
        (intent, team)
        for team in TEAMS
        for intent, _ in zip(cycle(by_team[team] or ["other"]), range(12), strict=False)
    ]
    with conn.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_intents (n int PRIMARY KEY, intent text, team text)"
        )
        with cursor.copy("COPY bench_intents (n, intent, team) FROM STDIN") as copy:
            for n, (intent, team) in enumerate(choices):
                copy.write_row((n, intent, team))
        cursor.execute("SELECT setseed(%s)", (rng.random() * 2 - 1,))
        cursor.execute(
            """
            INSERT INTO analyses (post_id, sentiment, sentiment_score, intent, intent_score,
                                  team, complaint_score, urgency, priority)
            SELECT p.id,
                   (ARRAY['negative', 'neutral', 'positive'])[1 + floor(random() * 3)::int],
                   round((0.5 + random() / 2)::numeric, 3)::float, i.intent,
                   round((0.3 + random() * 0.7)::numeric, 3)::float, i.team,
                   round(random()::numeric, 3)::float,
                   (ARRAY['low', 'normal', 'high', 'critical'])[1 + floor(random() * 4)::int],
                   round((100 * power(random(), 2))::numeric, 2)::float
            FROM (SELECT id, floor(random() * %s)::int AS n FROM posts) AS p
            JOIN bench_intents AS i ON i.n = p.n
            """,
            (len(choices),),
        )


def open_cases(conn: psycopg.Connection[Any], count: int, seed: float) -> int:
    """`count` open cases on random conversations, 1-5 posts each; returns cases made.

    Each case opened recently: at most 60% of its way to its policy's warning point, so
    that every clock is 'ok' and the first-response deadlines spread over the next hours
    (15 minutes to 4 hours ahead with the built-in policies)."""
    from rapport.care.sla_book import SlaBook
    from rapport.nlp.intent import TEAMS

    book = SlaBook.default()
    with conn.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_sla (team text, policy text, secs float, warn float)"
        )
        with cursor.copy("COPY bench_sla (team, policy, secs, warn) FROM STDIN") as copy:
            for team in TEAMS:
                policy = book.policy(book.policy_name(team), team)
                limit = policy.first_response or policy.resolution
                seconds = limit.total_seconds() if limit is not None else 3600.0
                copy.write_row((team, policy.name, seconds, policy.warn_at))
        cursor.execute("SELECT setseed(%s)", (seed,))
        cursor.execute(
            """
            CREATE TEMP TABLE picked AS
            SELECT network, conversation_id, min(id) AS root_id
            FROM posts GROUP BY network, conversation_id ORDER BY random() LIMIT %s
            """,
            (count,),
        )
        cursor.execute(
            """
            INSERT INTO cases (tenant, network, conversation_id, customer_id, customer_handle,
                               team, status, priority, reasons, tags, skills, lang, intent,
                               root_post_id, latest_post_id, post_count, opened_at, updated_at,
                               sla_policy, sla_state, next_due)
            SELECT 'default', r.network, r.conversation_id, r.author_source_id,
                   r.author_handle, a.team, 'open', coalesce(a.priority, 0),
                   '[{"name": "benchmark", "points": 0.0, "reason": "benchmark"}]', '[]', '[]',
                   r.lang, a.intent, r.id, r.id, 1,
                   t.opened, t.opened, s.policy, 'ok', t.opened + s.secs * interval '1 second'
            FROM picked AS k
            JOIN posts AS r ON r.id = k.root_id
            JOIN analyses AS a ON a.post_id = r.id
            JOIN bench_sla AS s ON s.team = a.team
            CROSS JOIN LATERAL (
                SELECT now() - random() * 0.6 * s.warn * s.secs * interval '1 second' AS opened
                WHERE r.id > 0
            ) AS t
            ORDER BY random()
            """
        )
        cursor.execute(
            """
            CREATE TEMP TABLE members AS
            SELECT case_id, post_id, k FROM (
                SELECT c.id AS case_id, p.id AS post_id,
                       row_number() OVER (PARTITION BY c.id ORDER BY p.created_at, p.id) AS k
                FROM cases AS c
                JOIN posts AS p
                  ON p.network = c.network AND p.conversation_id = c.conversation_id
            ) AS ranked WHERE k <= 5
            """
        )
        cursor.execute(
            "INSERT INTO case_posts (tenant, post_id, case_id, role) "
            "SELECT 'default', post_id, case_id, 'message' FROM members"
        )
        cursor.execute(
            """
            UPDATE cases SET latest_post_id = m.latest, post_count = m.n
            FROM (SELECT case_id, max(post_id) AS latest, count(*) AS n
                  FROM members GROUP BY case_id HAVING count(*) > 1) AS m
            WHERE cases.id = m.case_id
            """
        )
        cursor.execute(
            "INSERT INTO case_events (case_id, at, kind, actor, detail) "
            "SELECT id, opened_at, 'opened', '', '{}' FROM cases"
        )
        cursor.execute("SELECT count(*) FROM cases")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def load(url: str, posts: int, cases: int, seed: int) -> dict[str, float]:
    """Fill a fresh database; returns seconds per step."""
    from rapport.store import Database

    steps: dict[str, float] = {}
    began = time.perf_counter()
    database = Database(url)
    database.upgrade()
    database.close()
    steps["migrate"] = time.perf_counter() - began
    with psycopg.connect(raw_dsn(url)) as conn:
        mark = time.perf_counter()
        authors = copy_posts(conn, posts, seed)
        conn.commit()
        steps["posts"] = time.perf_counter() - mark
        mark = time.perf_counter()
        write_analyses(conn, seed)
        conn.commit()
        steps["analyses"] = time.perf_counter() - mark
        mark = time.perf_counter()
        made = open_cases(conn, cases, (seed % 1000) / 1000)
        conn.commit()
        steps["cases"] = time.perf_counter() - mark
        mark = time.perf_counter()
        conn.autocommit = True
        conn.execute("ANALYZE")
        steps["analyze"] = time.perf_counter() - mark
    steps["total"] = time.perf_counter() - began
    print(
        f"loaded {posts:,} posts ({authors:,} authors), {made:,} open cases in "
        f"{steps['total']:.1f}s: "
        + ", ".join(f"{k} {v:.1f}s" for k, v in steps.items() if k != "total")
    )
    return steps


def make_agents(url: str, count: int) -> list[str]:
    """API tokens for `count` agents (created when missing), each able to do all an agent may."""
    from rapport.auth.roles import permissions_of
    from rapport.auth.tokens import new_token
    from rapport.auth.users import new_user
    from rapport.nlp.intent import TEAMS
    from rapport.store import Database, schema
    from rapport.store.tokens import insert_token
    from rapport.store.users import insert_user

    scopes = sorted(p.value for p in permissions_of("agent"))
    database = Database(url)
    tokens: list[str] = []
    try:
        with database.engine.begin() as conn:
            for i in range(count):
                email = AGENT_EMAIL.format(i)
                users = schema.users
                found = conn.execute(sa.select(users.c.id).where(users.c.email == email)).scalar()
                if found is None:
                    agent = new_user(email=email, role="agent", name=f"Agent {i}", teams=TEAMS)
                    found = insert_user(conn, agent).id
                name = f"console benchmark {i}"
                raw, token = new_token(int(found), name, scopes, datetime.now(UTC))
                insert_token(conn, token)
                tokens.append(raw)
    finally:
        database.close()
    return tokens


# The plans behind the two target operations -----------------------------------------------


def explain(url: str, team: str, verbose: bool) -> dict[str, float]:
    """EXPLAIN ANALYZE the SQL of `rapport.store.cases.queue` and `get_case`, captured as
    they run; returns the execution time (ms) of each statement, printing the plans when
    `verbose`."""
    from rapport.store import Database
    from rapport.store.cases import get_case, queue

    database = Database(url)
    captured: list[tuple[str, str, Any]] = []
    label = ["queue"]

    def capture(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((label[0], statement, parameters))

    times: dict[str, float] = {}
    try:
        with database.engine.connect() as conn:
            sa.event.listen(conn, "before_cursor_execute", capture)
            top = queue(conn, team, limit=25)
            label[0] = "get_case"
            if top:
                get_case(conn, top[0].id)
            sa.event.remove(conn, "before_cursor_execute", capture)
            for n, (name, statement, parameters) in enumerate(captured):
                plan = [
                    str(r[0])
                    for r in conn.exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
                    )
                ]
                found = re.search(r"Execution Time: ([\d.]+) ms", plan[-1])
                key = f"{name}[{n}]"
                times[key] = float(found.group(1)) if found else float("nan")
                if verbose:
                    print(f"-- {key}: {' '.join(statement.split())[:300]}")
                    print("\n".join("   " + line for line in plan))
    finally:
        database.close()
    return times


def sla_sweep(url: str) -> tuple[float, str]:
    """Seconds for one pass of the SLA watch (which the server runs every 10 s through the
    one writer), and what it did or the first line of its error."""
    from rapport.actions.sla import SlaWatch
    from rapport.care.sla_book import SlaBook
    from rapport.store import Database

    database = Database(url)
    began = time.perf_counter()
    try:
        alerts = SlaWatch(database, SlaBook.default()).run_once()
        outcome = f"{len(alerts):,} breach alerts"
    except Exception as error:  # reported, not fatal: the server's watch would retry
        outcome = f"failed: {str(error).splitlines()[0][:200]}"
    finally:
        seconds = time.perf_counter() - began
        database.close()
    return seconds, outcome


def events_since(url: str, since: datetime) -> dict[str, int]:
    with psycopg.connect(raw_dsn(url)) as conn:
        rows = conn.execute(
            "SELECT kind, count(*) FROM case_events WHERE at >= %s GROUP BY kind", (since,)
        ).fetchall()
    return {str(kind): int(n) for kind, n in rows}


# Server side: Rapport's app under uvicorn, in its own process -------------------------------


def serve(url: str, port: int, sla_watch: bool) -> None:
    import uvicorn

    from rapport.pipeline.build import build_runner
    from rapport.runtime import tune_for_batches
    from rapport.settings import Settings
    from rapport.store import Database
    from rapport.web.app import create_app

    tune_for_batches()  # as `rapport serve` does at start-up
    if not sla_watch:  # a diagnosis aid only (--no-sla-watch): the real server runs it
        from rapport.actions.sla import SlaWatch

        setattr(SlaWatch, "start", lambda self: None)  # noqa: B010
    settings = Settings.load({"database_url": url, "enrich": False}, environ={})
    database = Database(url)
    app = create_app(settings, database, build_runner(settings, database, enrich=False))
    try:
        from rapport.web.api import desk  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        pass
    else:
        have = {getattr(r, "path", None) for r in app.routes}
        if not any(getattr(r, "path", None) in have for r in desk.router.routes):
            app.include_router(desk.router)
    try:
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    finally:
        database.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(url: str, sla_watch: bool) -> Iterator[tuple[str, dict[str, Any]]]:
    """Start the app in a child process; yields its base URL and its OpenAPI document."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.NamedTemporaryFile(prefix="rapport-console-", suffix=".log") as log:
        child = subprocess.Popen(
            [sys.executable, __file__, "--serve", url, "--port", str(port)]
            + ([] if sla_watch else ["--no-sla-watch"]),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        try:
            openapi = wait_ready(base, child, Path(log.name))
            yield base, openapi
        finally:
            child.terminate()
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            tail = Path(log.name).read_text(encoding="utf-8", errors="replace")[-3000:]
            if child.returncode not in (0, -15) and tail.strip():
                print(f"server log (exit {child.returncode}):\n{tail}")


def wait_ready(base: str, child: subprocess.Popen[bytes], log: Path) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"the server exited ({child.returncode}):\n{log.read_text()[-3000:]}")
        try:
            answer = httpx.get(f"{base}/api/v1/openapi.json", timeout=5)
            if answer.status_code == 200:
                document: dict[str, Any] = answer.json()
                return document
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server did not answer in 120 s:\n{log.read_text()[-3000:]}")


def has_route(openapi: dict[str, Any], action: str) -> bool:
    pattern = re.compile(rf"^/api/v1/cases/\{{[^}}]+\}}/{action}$")
    return any(pattern.match(p) and "post" in ops for p, ops in openapi["paths"].items())


# Client side: the agents ------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in OPERATIONS})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OPERATIONS, 0))
    conflicts: int = 0
    samples: dict[str, list[str]] = field(default_factory=dict)

    def error(self, operation: str, kind: str, detail: str) -> None:
        self.errors[operation] += 1
        seen = self.samples.setdefault(f"{operation} {kind}", [])
        if len(seen) < SAMPLES_PER_KIND:
            seen.append(detail[:200])


@dataclass(frozen=True)
class Routes:
    claim: bool
    release: bool


async def call(
    client: httpx.AsyncClient,
    tally: Tally,
    operation: str,
    method: str,
    path: str,
    headers: dict[str, str],
    *,
    conflict_expected: bool = False,
    **kwargs: Any,
) -> httpx.Response | None:
    """One request, timed; the response when it is 2xx (or an expected 409), else None."""
    began = time.perf_counter()
    try:
        answer = await client.request(method, path, headers=headers, **kwargs)
    except httpx.HTTPError as error:
        tally.error(operation, type(error).__name__, f"{type(error).__name__}: {error}")
        return None
    elapsed = (time.perf_counter() - began) * 1000
    if 200 <= answer.status_code < 300:
        tally.latencies[operation].append(elapsed)
        return answer
    if answer.status_code == 409 and conflict_expected:
        tally.conflicts += 1
        return answer
    tally.error(operation, str(answer.status_code), answer.text)
    return None


async def agent(
    client: httpx.AsyncClient,
    token: str,
    team: str,
    deadline: float,
    routes: Routes,
    tally: Tally,
    rng: random.Random,
    think: float,
) -> None:
    auth = {"Authorization": f"Bearer {token}"}

    async def pause() -> None:
        if think > 0:
            await asyncio.sleep(rng.expovariate(1 / think))

    while time.perf_counter() < deadline:
        await pause()
        listed = await call(client, tally, "queue", "GET", f"/api/v1/queues/{team}", auth,
                            params={"limit": 25})  # fmt: skip
        if listed is None:
            await asyncio.sleep(0.05)  # an erroring server is not hammered in a tight loop
            continue
        items = listed.json()["items"]
        if not items:
            continue
        chosen: int | None = None
        for case in rng.sample(items, min(3, len(items))):
            if not routes.claim:
                chosen = int(case["id"])
                break
            claimed = await call(client, tally, "claim", "POST",
                                 f"/api/v1/cases/{case['id']}/claim", auth,
                                 conflict_expected=True)  # fmt: skip
            if claimed is None:
                break
            if claimed.status_code != 409:
                chosen = int(case["id"])
                break
        if chosen is None:
            continue
        await pause()
        await call(client, tally, "thread", "GET", f"/api/v1/cases/{chosen}", auth)
        await pause()
        keyed = {**auth, "Idempotency-Key": uuid.uuid4().hex}
        path = f"/api/v1/cases/{chosen}/replies"
        await call(client, tally, "reply", "POST", path, keyed, json={"text": REPLY_TEXT})
        if routes.release:
            await pause()
            await call(client, tally, "release", "POST", f"/api/v1/cases/{chosen}/release", auth)


async def run_agents(
    base: str, tokens: list[str], seconds: float, routes: Routes, seed: int, think: float
) -> tuple[Tally, float]:
    from rapport.nlp.intent import TEAMS

    tally = Tally()
    limits = httpx.Limits(max_connections=len(tokens) + 10, max_keepalive_connections=len(tokens))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as client:
        began = time.perf_counter()
        deadline = began + seconds
        await asyncio.gather(
            *(
                agent(
                    client,
                    token,
                    TEAMS[i % len(TEAMS)],
                    deadline,
                    routes,
                    tally,
                    random.Random(seed + i),
                    think,
                )
                for i, token in enumerate(tokens)
            )
        )
        elapsed = time.perf_counter() - began
    return tally, elapsed


# The report -------------------------------------------------------------------------------


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if not values:
        return (float("nan"),) * 3
    if len(values) == 1:
        return (values[0],) * 3
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def report(tally: Tally, elapsed: float, routes: Routes, agents: int) -> dict[str, Any]:
    rows: dict[str, dict[str, Any]] = {}
    print(f"{'operation':<10} {'count':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for operation in OPERATIONS:
        done = tally.latencies[operation]
        if operation == "claim" and not routes.claim:
            print(f"{operation:<10} {'no route: POST /api/v1/cases/{id}/claim absent, skipped':>}")
            continue
        if operation == "release" and not routes.release:
            print(f"{operation:<10} no route: POST /api/v1/cases/{{id}}/release absent, skipped")
            continue
        p50, p95, p99 = percentiles(done)
        rows[operation] = {"count": len(done), "p50_ms": p50, "p95_ms": p95, "p99_ms": p99,
                           "errors": tally.errors[operation]}  # fmt: skip
        print(
            f"{operation:<10} {len(done):>8,} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} "
            f"{tally.errors[operation]:>7,}"
        )
    requests = sum(len(v) for v in tally.latencies.values()) + tally.conflicts
    errors = sum(tally.errors.values())
    rate = (requests + errors) / elapsed
    print(
        f"{requests + errors:,} requests in {elapsed:.1f}s from {agents} agents: {rate:,.0f} "
        f"requests/s; {errors:,} errors; {tally.conflicts:,} claims lost to another agent (409)"
    )
    for kind, samples in sorted(tally.samples.items()):
        for sample in samples:
            print(f"  error {kind}: {sample!r}")
    slow = [
        op
        for op in ("queue", "thread")
        if not rows.get(op, {}).get("p95_ms", float("inf")) < TARGET_P95_MS
    ]
    met = not slow and errors == 0
    why = []
    if slow:
        why.append(f"p95 of {', '.join(slow)} at or over {TARGET_P95_MS:.0f} ms")
    if errors:
        why.append(f"{errors:,} errors")
    print(
        f"target (queue listing and thread view p95 < {TARGET_P95_MS:.0f} ms, no errors): "
        + ("met" if met else "not met (" + "; ".join(why) + ")")
    )
    laggards = [op for op, row in rows.items() if op not in ("queue", "thread")
                and row["p95_ms"] >= 1000]  # fmt: skip
    if laggards:
        print(f"note: p95 of {', '.join(laggards)} over 1 s (outside the target)")
    return {
        "operations": rows,
        "requests": requests + errors,
        "seconds": elapsed,
        "requests_per_second": rate,
        "errors": errors,
        "claim_conflicts": tally.conflicts,
        "error_samples": tally.samples,
        "target_met": met,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, help="default 1,000,000 (--quick: 50,000)")
    parser.add_argument("--cases", type=int, help="default 100,000 (--quick: 5,000)")
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--seconds", type=float, help="default 60 (--quick: 10)")
    parser.add_argument("--quick", action="store_true", help="50,000 posts, 5,000 cases, 10 s")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", default="rapport_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the kept database as it is")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause (s) before each step; default 0"
    )
    parser.add_argument(
        "--no-sla-watch",
        action="store_true",
        help="diagnosis only: serve without the SLA watch, to see what it costs",
    )
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, not args.no_sla_watch)
        return
    for name, full, quick in (("posts", 1_000_000, 50_000), ("cases", 100_000, 5_000),
                              ("seconds", 60.0, 10.0)):  # fmt: skip
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)

    from rapport.nlp.intent import TEAMS

    url = database_url(args.database)
    figures: dict[str, Any] = {"agents": args.agents, "seconds_asked": args.seconds}
    reused = args.reuse and database_exists(args.database)
    try:
        if reused:
            print(f"reusing database {args.database} as it is")
        else:
            create_database(args.database)
            figures["load_seconds"] = load(url, args.posts, args.cases, args.seed)
        with psycopg.connect(raw_dsn(url)) as conn:
            counts = conn.execute(
                "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM cases), "
                "(SELECT count(*) FROM cases WHERE status = 'open')"
            ).fetchone()
        assert counts is not None
        figures |= {"posts": counts[0], "cases": counts[1], "open_cases": counts[2]}
        tokens = make_agents(url, args.agents)
        sql = explain(url, TEAMS[0], args.explain)
        figures["sql_ms_before"] = sql
        print(
            "SQL alone (EXPLAIN ANALYZE, ms): " + ", ".join(f"{k} {v:.2f}" for k, v in sql.items())
        )
        sweep_s, outcome = sla_sweep(url)
        figures["sla_sweep"] = {"seconds": sweep_s, "outcome": outcome}
        print(
            f"one SLA watch pass over {counts[2]:,} open cases, before the run: {sweep_s:.1f}s "
            f"({outcome}); the server runs one every 10 s through its one writer"
        )
        started = datetime.now(UTC)
        with server(url, not args.no_sla_watch) as (base, openapi):
            routes = Routes(
                claim=has_route(openapi, "claim"), release=has_route(openapi, "release")
            )
            print(
                f"{counts[0]:,} posts, {counts[1]:,} cases ({counts[2]:,} open); {args.agents} "
                f"agents for {args.seconds:.0f}s, "
                + (f"{args.think:g}s mean think time" if args.think else "no think time")
                + ("; SLA watch OFF (diagnosis)" if args.no_sla_watch else "")
                + "; claim route "
                f"{'present' if routes.claim else 'absent (claim skipped)'}, release route "
                f"{'present' if routes.release else 'absent (release skipped)'}"
            )
            tally, elapsed = asyncio.run(
                run_agents(base, tokens, args.seconds, routes, args.seed, args.think)
            )
        figures |= report(tally, elapsed, routes, args.agents)
        figures["claim_route"], figures["release_route"] = routes.claim, routes.release
        figures["case_events_during"] = events = events_since(url, started)
        written = ", ".join(f"{kind} {n:,}" for kind, n in sorted(events.items()))
        print(f"case events written during the run: {written}")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, default=str) + "\n")
            print(f"figures written to {args.json}")
    finally:
        if not args.keep:
            drop_database(args.database)


if __name__ == "__main__":
    main()
