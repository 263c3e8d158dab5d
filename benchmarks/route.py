"""Listening and routing throughput: 1,000 queries and 50 rules, against a naive matcher.

Usage (from the repository root):

    .venv/bin/python benchmarks/route.py                  # 200,000 posts
    .venv/bin/python benchmarks/route.py --posts 20000

The generated demo stream is enriched first (language, sentiment, intent, complaint,
urgency), which is not timed here (`benchmarks/enrich.py` measures it). Then, timed, one
process runs over the enriched posts:
- rapport: the 1,000 queries through one `QuerySet` (Aho-Corasick prefilter, then exact
  checks), the priority score, and the route stage with 50 rules (whose `query:`
  conditions share a second QuerySet).
- naive: each query compiled to its own regular expression (lookaheads for AND and NOT,
  alternation for OR), checked against every post, plus the same score and route stages.
  A regex cannot see fields, so the naive matcher answers them with the same checks
  Rapport uses.
Both must find the same matches; the benchmark checks that on the first 2,000 posts.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from collections.abc import Callable

import msgspec

from rapport.demo.stream import generate_posts
from rapport.listen.matcher import PostView, QuerySet, matches
from rapport.listen.query import And, Field, Near, Node, Not, Or, Phrase, Tag, Word, parse
from rapport.pipeline.build import analysis_stages
from rapport.pipeline.route import RouteStage
from rapport.pipeline.runner import Runner
from rapport.pipeline.score import ScoreStage
from rapport.records import Batch, Envelope, Post
from rapport.route.rules import Rule, RuleSet, Then, When
from rapport.runtime import tune_for_batches

TOPICS = [
    "card", "refund", "app", "fees", "limit", "pin", "login", "cashback", "travel", "transfer",
    "payment", "account", "statement", "support", "branch", "atm", "contactless", "points",
    "tarjeta", "cartão", "karte", "carte", "reembolso", "bloqueada", "gebühr", "frais",
]  # fmt: skip
PROBLEMS = [
    "stolen", "declined", "blocked", "charged", "twice", "waiting", "fraud", "scam", "down",
    "error", "awful", "terrible", "lost", "hacked", "broken", "slow", "wrong", "missing",
]  # fmt: skip
# The target on the 2-core reference machine.
TARGET_RATE = 20_000
TARGET_RATIO = 10
FIELDS = [
    "lang:en", "lang:es", "lang:pt", "lang:de", "has:link", "min_followers:5k",
    "sentiment:negative", "urgency:>=high", "intent:card_arrival", "-from:novacardhelp",
]  # fmt: skip


def make_queries(count: int, seed: int = 1) -> dict[str, str]:
    rng = random.Random(seed)
    queries = {}
    for i in range(count):
        topic, problem = rng.choice(TOPICS), rng.choice(PROBLEMS)
        shape = rng.randrange(6)
        if shape == 0:
            text = f"{topic} AND ({problem} OR {rng.choice(PROBLEMS)})"
        elif shape == 1:
            text = f'"{topic} {problem}" OR {topic}* {rng.choice(FIELDS)}'
        elif shape == 2:
            text = f"{topic} NEAR/3 {problem} -spam"
        elif shape == 3:
            text = f"({topic} OR {rng.choice(TOPICS)}) {problem} {rng.choice(FIELDS)}"
        elif shape == 4:
            text = f"#novacard{problem} OR @novacardhelp {problem}"
        else:
            text = f"{problem} {topic} NOT {rng.choice(PROBLEMS)}"
        queries[f"q{i}"] = text
    return queries


def make_rules(count: int, seed: int = 2) -> RuleSet:
    rng = random.Random(seed)
    rules = []
    teams = ["cards", "payments", "disputes", "fraud_and_security", "account_access"]
    for i in range(count):
        when = rng.choice(
            [
                When(urgency=">=high", lang=[rng.choice(["en", "es", "pt"])]),
                When(query=f"{rng.choice(TOPICS)} {rng.choice(PROBLEMS)}"),
                When(priority=f">={rng.randint(30, 70)}"),
                When(intent=[rng.choice(["card_arrival", "declined_card_payment", "spam"])]),
                When(followers=f">={rng.choice([1000, 10000, 100000])}", sentiment=["negative"]),
            ]
        )
        rules.append(Rule(id=f"r{i}", when=when, then=Then(route=rng.choice(teams), tag=[f"t{i}"])))
    return RuleSet(rules, source="benchmark")


# -- the naive matcher: one regular expression per query -----------------------------------


def to_regex(node: Node) -> str | None:
    """A regex over the lower-cased text for the text parts; None for a field."""
    if isinstance(node, Word):
        return r"\b" + re.escape(node.text) + (r"\w*" if node.prefix else r"\b")
    if isinstance(node, Phrase):
        return r"\b" + r"\W+".join(re.escape(w) for w in node.words) + r"\b"
    if isinstance(node, Tag):
        sign = "#" if node.kind == "hashtag" else "@"
        return re.escape(sign + node.name) + r"\b"
    if isinstance(node, Near):
        left, right = to_regex(node.left), to_regex(node.right)
        gap = rf"\W+(?:\w+\W+){{0,{node.distance - 1}}}"
        return f"(?:{left}{gap}{right}|{right}{gap}{left})"
    return None


class NaiveQuery:
    def __init__(self, text: str) -> None:
        self.tree = parse(text)

    def check(self, node: Node, text: str, view: PostView) -> bool:
        pattern = to_regex(node)
        if pattern is not None:
            return re.search(pattern, text) is not None  # compiled and cached by `re`
        if isinstance(node, Not):
            return not self.check(node.child, text, view)
        if isinstance(node, And):
            return all(self.check(c, text, view) for c in node.children)
        if isinstance(node, Or):
            return any(self.check(c, text, view) for c in node.children)
        assert isinstance(node, Field)
        return matches(node, view)


# -- measurement ---------------------------------------------------------------------------


def enriched(count: int) -> list[Envelope]:
    runner = Runner(analysis_stages(enrich=True)[:2])  # normalise + enrich
    posts = [msgspec.convert(p, Post, strict=False) for p in generate_posts(count, seed=3)]
    out: list[Envelope] = []
    for start in range(0, len(posts), 2000):
        batch = Batch(
            source="b", items=tuple(Envelope(post=p) for p in posts[start : start + 2000])
        )
        out.extend(runner.process(batch).items)
    return out


def counter(queries: QuerySet) -> Callable[[PostView], int]:
    """How many of the queries a post matches, through the shared matcher."""
    return lambda view: len(queries.match(view))


def run(
    envelopes: list[Envelope], count_matches: Callable[[PostView], int], rules: RuleSet
) -> float:
    """Seconds to match every post, then score and route the batches."""
    score, route = ScoreStage(), RouteStage(rules)
    began = time.perf_counter()
    for start in range(0, len(envelopes), 2000):
        chunk = envelopes[start : start + 2000]
        for envelope in chunk:
            count_matches(PostView.of(envelope.post, envelope.enrichment))
        route.process(score.process(Batch(source="b", items=tuple(chunk))))
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--naive-posts", type=int, default=5_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--rules", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # As `rapport ingest` does at start-up: with the collector's default thresholds, the
    # 200,000 envelopes held here would be walked again and again, in both measurements.
    tune_for_batches()
    texts = make_queries(args.queries)
    queries = QuerySet(texts)
    naive = [NaiveQuery(t) for t in texts.values()]
    envelopes = enriched(args.posts)
    sample = envelopes[:2000]
    for envelope in sample:  # the two matchers must agree before their speed means anything
        view = PostView.of(envelope.post, envelope.enrichment)
        ours = set(queries.match(view))
        theirs = {
            qid for qid, q in zip(texts, naive, strict=True) if q.check(q.tree, view.text, view)
        }
        assert ours == theirs, (envelope.post.text, ours ^ theirs)
    rates: dict[str, list[float]] = {"rapport": [], "naive": []}
    for _ in range(args.repeat):
        # Compiled afresh for every measurement, so what the query set and the rules learn
        # from the posts they see (candidates per anchor set, rules per combination of
        # fields) is learnt inside the timed run, as a new process would.
        seconds = run(envelopes, counter(QuerySet(texts)), make_rules(args.rules))
        rates["rapport"].append(len(envelopes) / seconds)
        subset = envelopes[: args.naive_posts]
        seconds = run(
            subset,
            lambda view: sum(q.check(q.tree, view.text, view) for q in naive),
            make_rules(args.rules),
        )
        rates["naive"].append(len(subset) / seconds)
    rapport, slow = statistics.median(rates["rapport"]), statistics.median(rates["naive"])
    print(
        f"{args.queries:,} queries, {args.rules} rules; {len(envelopes):,} posts "
        f"(naive: the first {args.naive_posts:,})"
    )
    print(f"{'system':<58} {'posts/s':>10}")
    print(f"{'rapport: shared matcher + priority + rules':<58} {rapport:>10,.0f}")
    print(f"{'naive: one regex per query + priority + rules':<58} {slow:>10,.0f}")
    print(f"rapport / naive: {rapport / slow:.1f}x")
    met = rapport >= TARGET_RATE and rapport / slow >= TARGET_RATIO
    print(
        f"target (at least {TARGET_RATE:,} posts/s and {TARGET_RATIO}x the naive matcher): "
        + ("met" if met else "not met")
    )


if __name__ == "__main__":
    main()
