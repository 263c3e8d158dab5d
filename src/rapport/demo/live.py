"""`rapport demo`: a generated stream about a card issuer, ingested live and shown on localhost.

Weeks of past care work are written first (`history.py`: cases with a daily and weekly
rhythm, so the staffing forecast and the weekly charts have something to read). Then the
last minutes of stream are ingested so the page has something to show at once; then posts
arrive at `rate` per second in real time, in batches every quarter second, through the same
pipeline that file and HTTP ingest use. The incident burst in the generated stream arrives a few
minutes in.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from typing import Any

import msgspec
import uvicorn
from rich.console import Console

from rapport.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
from rapport.demo.history import seed_history
from rapport.demo.stream import generate_posts
from rapport.demo.team import DemoTeam
from rapport.demo.tenants import TENANT as DEMO_TENANT
from rapport.demo.tenants import ensure_demo_tenants
from rapport.pipeline.build import build_runner
from rapport.pipeline.runner import Runner
from rapport.records import Batch, Envelope, Post
from rapport.settings import Settings
from rapport.store import Database
from rapport.web.app import create_app

# Minutes of live stream per generated episode; the burst sits 60% of the way in.
EPISODE_MINUTES = 8


def demo_overrides(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The demo's workflow: its rules and listening queries, the brand's own accounts, and
    15-second volume windows (and a 6-sigma threshold, since such short windows are noisy)
    so that the outage in a few minutes of stream stands out.
    A RAPPORT_* variable of the same name wins."""
    package = files("rapport.demo")
    chosen = {
        "rules": str(package / "rules.yaml"),
        "queries": str(package / "queries.yaml"),
        "own_handles": "NovaCard,NovaCardHelp",
        "spike_window": 15,
        "spike_z": 6.0,
    }
    environ = os.environ if environ is None else environ
    return {k: v for k, v in chosen.items() if f"RAPPORT_{k.upper()}" not in environ}


def to_batches(posts: Iterator[dict[str, Any]], size: int, source: str) -> Iterator[Batch]:
    chunk: list[Envelope] = []
    for data in posts:
        chunk.append(Envelope(post=msgspec.convert(data, Post, strict=False)))
        if len(chunk) >= size:
            yield Batch(source=source, items=tuple(chunk))
            chunk = []
    if chunk:
        yield Batch(source=source, items=tuple(chunk))


def ingest_history(runner: Runner, count: int, rate: float, seed: int) -> int:
    start = datetime.now(UTC) - timedelta(seconds=count / rate)
    stored = 0

    def done(batch: Batch) -> None:
        nonlocal stored
        stored += sum(1 for e in batch.items if not e.duplicate)

    posts = generate_posts(count, seed=seed, start=start, posts_per_second=rate)
    runner.run(to_batches(posts, 1000, "demo history"), done)
    return stored


def play_live(runner: Runner, rate: float, stop: threading.Event, seed: int) -> None:
    """Generate episodes forever, releasing each post when its timestamp comes due."""
    episode = 0
    while not stop.is_set():
        count = int(rate * 60 * EPISODE_MINUTES)
        start = datetime.now(UTC)
        pending: list[Envelope] = []
        for data in generate_posts(
            count, seed=seed + 1000 + episode, start=start, posts_per_second=rate
        ):
            post = msgspec.convert(data, Post, strict=False)
            wait = (post.created_at - datetime.now(UTC)).total_seconds()
            if wait > 0.25 or len(pending) >= 500:
                if pending:
                    runner.process(Batch(source="demo live", items=tuple(pending)))
                    pending = []
                if stop.wait(max(0.0, min(wait, 5.0))):
                    return
            pending.append(Envelope(post=post))
        if pending:
            runner.process(Batch(source="demo live", items=tuple(pending)))
        episode += 1


def run_demo(settings: Settings, *, rate: float, history: int, seed: int = 7) -> None:
    console = Console(stderr=True)
    database = Database(settings.database_url)
    database.upgrade()
    # The second tenant first: the pipeline reads every tenant's setup when it is built.
    agency = ensure_demo_tenants(database, DEMO_PASSWORD)
    runner = build_runner(settings, database)
    accounts = ensure_demo_accounts(database)
    console.print(f"Rapport demo: database {settings.database_url}")
    began = time.perf_counter()
    seeded = seed_history(database, settings, seed=seed)
    if seeded.hours:
        console.print(
            f"wrote {seeded.hours} hours of past care work ({seeded.cases} resolved cases, "
            f"{seeded.surveys} survey answers) in {time.perf_counter() - began:.1f}s"
        )
    began = time.perf_counter()
    stored = ingest_history(runner, history, rate, seed)
    console.print(
        f"ingested {stored} new posts of history in {time.perf_counter() - began:.1f}s; "
        f"streaming {rate:g} posts/s (an incident burst arrives after about "
        f"{EPISODE_MINUTES * 0.6:.0f} minutes)"
    )
    stop = threading.Event()
    feeder = threading.Thread(
        target=play_live, args=(runner, rate, stop, seed), name="rapport-demo-feed", daemon=True
    )
    feeder.start()
    url = f"http://{settings.host}:{settings.port}/"
    console.print(f"Open {url} for the live stream, {url}api/docs for the API. Ctrl-C stops.")
    who = ", ".join(f"{email} ({role})" for email, role in accounts)
    console.print(
        f"Care console: {url}console. Sign in as {who}; password {DEMO_PASSWORD}",
        markup=False,
    )
    console.print(
        f"A second tenant, the rewards agency {DEMO_TENANT!r}, hears only the rewards posts "
        f"and sees only its own cases: sign in as "
        + ", ".join(f"{email} ({role})" for email, role in agency),
        markup=False,
    )
    app = create_app(settings, database, runner)
    team = DemoTeam(
        database, app.state.reply_desk, app.state.survey_desk, app.state.sla_book,
        brand=settings.brand,
    )  # fmt: skip
    team.start()
    console.print(
        "A simulated care team answers the top case of each queue every few seconds and "
        "resolves answered cases; customers get the Net Promoter question.",
        markup=False,
    )
    try:
        # Forwarding headers are the app's to believe, from `trusted_proxies` only.
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning",
                    proxy_headers=False)  # fmt: skip
    finally:
        team.stop()
        stop.set()
        feeder.join(timeout=10)
        database.close()
