"""Ingest throughput and memory: Rapport's ingest path against a naive loader, same run.

Usage (from the repository root):

    .venv/bin/python benchmarks/ingest.py                       # 200,000 posts, both backends
    .venv/bin/python benchmarks/ingest.py --memory-posts 1000000 --repeat 3

What is measured, each in a fresh process and a fresh database:
- rapport: `ingest_paths` as `rapport ingest` runs it (parse, validate, normalise without
  language detection, deduplicate, thread roots, authors, full-text index, persist), on
  the generated demo stream written as Rapport JSONL.
- naive: the same file read line by line with `json.loads`, one INSERT and one COMMIT per
  post into the same table (no normalisation, no authors, no full-text index: it does less).
  It is slow, so it runs on the first `--naive-posts` posts and its rate is reported.
- memory: peak resident memory of the ingesting process and of its helper process for a
  `--memory-posts` file (SQLite).
- twcs: the Customer Support on Twitter sample from ../shared, if present: rows stored and
  conversations rebuilt.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get(
    "RAPPORT_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TWCS_SAMPLE = ROOT.parent / "shared" / "datasets" / "twcs-sample" / "twcs.csv"


# Child side: one measurement per process -------------------------------------------------


def child_rapport(url: str, path: Path) -> dict[str, Any]:
    from rapport.bus.choose import choose_strategy
    from rapport.ingest.service import ingest_paths
    from rapport.pipeline.build import build_runner
    from rapport.settings import Settings
    from rapport.store import Database

    settings = Settings.load({"database_url": url, "enrich": False})
    database = Database(url)
    database.upgrade()
    began = time.perf_counter()
    stages = build_runner(settings, database).stages
    strategy = choose_strategy(settings, stages, hosts_workers=False)
    [summary] = ingest_paths([path], settings=settings, strategy=strategy)
    # SQLite files posts for search on a thread of its own, after the writer committed
    # them: timed until every post is searchable.
    database.catch_up()
    seconds = time.perf_counter() - began
    database.close()
    return {"posts": summary.stored + summary.duplicates, "seconds": seconds}


def child_naive(url: str, path: Path, limit: int) -> dict[str, Any]:
    """One INSERT and one COMMIT per post, the loader a first version would have."""
    from datetime import UTC, datetime

    from rapport.store import Database

    database = Database(url)
    database.upgrade()
    database.close()
    sqlite = url.startswith("sqlite")
    if sqlite:
        # The same SQLite library as Rapport's, so that the ratio is the design's alone.
        from rapport.store.backends.sqlite_driver import driver

        connection: Any = driver.connect(url.removeprefix("sqlite:///"))
        mark = "?"
    else:
        dsn, _, options = url.replace("postgresql+psycopg://", "postgresql://").partition("?")
        connection = psycopg.connect(
            dsn, options=options.removeprefix("options=").replace("%3D", "=")
        )
        mark = "%s"
    columns = (
        "network, source_id, author_source_id, author_handle, text, created_at, ingested_at, "
        "conversation_id, reply_to_id, lang"
    )
    sql = f"INSERT INTO posts ({columns}) VALUES ({', '.join([mark] * 10)})"
    began = time.perf_counter()
    count = 0
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if count >= limit:
                break
            post = json.loads(line)
            connection.execute(
                sql,
                (
                    post["network"],
                    post["source_id"],
                    post["author"]["source_id"],
                    post["author"]["handle"],
                    post["text"],
                    post["created_at"],
                    datetime.now(UTC).isoformat(),
                    post.get("conversation_id") or post["source_id"],
                    post.get("reply_to_id"),
                    post.get("lang"),
                ),
            )
            connection.commit()
            count += 1
    seconds = time.perf_counter() - began
    connection.close()
    return {"posts": count, "seconds": seconds}


def child_twcs(url: str, path: Path) -> dict[str, Any]:
    import sqlalchemy as sa

    result = child_rapport(url, path)
    from rapport.store import Database

    database = Database(url)
    with database.engine.connect() as conn:
        threads = conn.execute(
            sa.text(
                "SELECT count(DISTINCT conversation_id), max(n) FROM (SELECT conversation_id, "
                "count(*) AS n FROM posts GROUP BY conversation_id) AS t"
            )
        ).one()
        replies = conn.execute(
            sa.text("SELECT count(*) FROM posts WHERE reply_to_id IS NOT NULL")
        ).scalar_one()
    database.close()
    return {**result, "conversations": threads[0], "largest_thread": threads[1], "replies": replies}


def run_child(args: argparse.Namespace) -> None:
    from rapport.runtime import tune_for_batches

    tune_for_batches()  # as `rapport` does at start-up
    if args.child == "rapport":
        result = child_rapport(args.url, Path(args.file))
    elif args.child == "naive":
        result = child_naive(args.url, Path(args.file), args.naive_posts)
    else:
        result = child_twcs(args.url, Path(args.file))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    helper = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({**result, "peak_mb": own / 1024, "helper_peak_mb": helper / 1024}))


# Parent side: orchestration and the report -------------------------------------------------


def fresh_url(backend: str, workdir: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{workdir / f'bench-{uuid.uuid4().hex[:8]}.db'}"
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


def drop(url: str) -> None:
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    schema = url.rsplit("%3D", 1)[1]
    with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def measure(kind: str, backend: str, path: Path, workdir: Path, naive_posts: int) -> dict[str, Any]:
    url = fresh_url(backend, workdir)
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--url",
        url,
        "--file",
        str(path),
        "--naive-posts",
        str(naive_posts),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{kind} on {backend} failed:\n{done.stderr}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        drop(url)
    result["rate"] = result["posts"] / result["seconds"]
    return result


def postgres_reachable() -> bool:
    try:
        with psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _machine_reference_ms() -> float:
    """Median time of a fixed pure-Python loop: on these shared machines the same code runs
    up to twice as fast on one day as on another, and this tells which kind of day it is."""
    times = []
    for _ in range(7):
        began = time.perf_counter()
        sum(range(100_000))
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--naive-posts", type=int, default=10_000)
    parser.add_argument("--memory-posts", type=int, default=1_000_000, help="0 skips it")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per figure; the median is shown"
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--batch-size",
        type=int,
        help="posts per batch, as `rapport ingest --batch-size` (default: RAPPORT_FILE_BATCH_SIZE)",
    )
    parser.add_argument("--child", choices=["rapport", "naive", "twcs"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    if args.batch_size:
        # The children read it as `rapport` does, from the environment.
        os.environ["RAPPORT_FILE_BATCH_SIZE"] = str(args.batch_size)

    from rapport.demo.stream import write_jsonl

    backends = [b for b in args.backends.split(",") if b]
    if "postgresql" in backends and not postgres_reachable():
        print(f"PostgreSQL unreachable at {POSTGRES_URL}: measuring SQLite only")
        backends.remove("postgresql")
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as tmp:
        workdir = Path(tmp)
        source = workdir / "posts.jsonl"
        began = time.perf_counter()
        write_jsonl(source, args.posts)
        from rapport.settings import Settings

        print(
            f"generated {args.posts:,} demo posts ({source.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - began:.1f}s; "
            f"batches of {Settings.load().file_batch_size:,}, "
            f"{os.cpu_count()} CPUs; {_machine_reference_ms():.2f} ms for the reference loop"
        )
        print(
            f"{'backend':<11} {'loader':<8} {'posts':>9} {'posts/s':>9} {'vs naive':>9} "
            f"{'peak MB':>8} {'helper MB':>9}"
        )
        for backend in backends:
            figures: dict[str, dict[str, Any]] = {}
            for kind in ("naive", "rapport"):
                runs = [
                    measure(kind, backend, source, workdir, args.naive_posts)
                    for _ in range(args.repeat)
                ]
                middle = statistics.median(r["rate"] for r in runs)
                figures[kind] = min(runs, key=lambda r: abs(r["rate"] - middle))
            for kind in ("naive", "rapport"):
                row = figures[kind]
                ratio = row["rate"] / figures["naive"]["rate"]
                print(
                    f"{backend:<11} {kind:<8} {row['posts']:>9,} {row['rate']:>9,.0f} "
                    f"{ratio:>8.1f}x {row['peak_mb']:>8.0f} {row['helper_peak_mb']:>9.0f}"
                )
        if args.memory_posts:
            big = workdir / "big.jsonl"
            write_jsonl(big, args.memory_posts)
            source.unlink()
            row = measure("rapport", "sqlite", big, workdir, 0)
            print(
                f"memory: {row['posts']:,} posts into SQLite at {row['rate']:,.0f} posts/s, "
                f"peak {row['peak_mb']:.0f} MB (writer) + {row['helper_peak_mb']:.0f} MB "
                f"(helper)"
            )
        if TWCS_SAMPLE.is_file():
            row = measure("twcs", "sqlite", TWCS_SAMPLE, workdir, 0)
            print(
                f"twcs sample: {row['posts']:,} posts, {row['replies']:,} replies in "
                f"{row['conversations']:,} conversations (largest {row['largest_thread']} "
                f"posts), {row['rate']:,.0f} posts/s"
            )


if __name__ == "__main__":
    main()
