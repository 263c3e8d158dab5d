"""The shared matcher finds exactly what checking every query on its own finds, doing less."""

from __future__ import annotations

import random

from rapport.demo.stream import generate_posts
from rapport.listen.matcher import PostView, QuerySet, matches
from rapport.records import Post

VOCABULARY = [
    "card", "stolen", "refund", "app", "down", "fraud", "thanks", "love", "blocked", "fees",
    "novacard", "help", "tarjeta", "cartão", "karte", "carte", "money", "charged", "twice",
    "cashback", "travel", "limit", "pin", "login", "error", "support", "wait", "days",
]  # fmt: skip
FIELDS = ["lang:en", "lang:es", "has:link", "has:mention", "min_followers:1k", "#novacardrewards"]


def random_query(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth > 2 or roll < 0.35:
        word = rng.choice(VOCABULARY)
        return rng.choice(
            [word, word[:4] + "*" if len(word) > 4 else word, f'"{word} {rng.choice(VOCABULARY)}"']
        )
    if roll < 0.45:
        return rng.choice(FIELDS)
    if roll < 0.55:
        return f"{rng.choice(VOCABULARY)} NEAR/{rng.randint(1, 4)} {rng.choice(VOCABULARY)}"
    if roll < 0.65:
        return "-" + rng.choice(VOCABULARY) + " " + random_query(rng, depth + 1)
    operator = rng.choice([" AND ", " OR ", " "])
    return f"({random_query(rng, depth + 1)}{operator}{random_query(rng, depth + 1)})"


def demo_views(count: int) -> list[PostView]:
    import msgspec

    posts = [msgspec.convert(p, Post, strict=False) for p in generate_posts(count, seed=11)]
    return [PostView.of(post) for post in posts]


def test_the_shared_matcher_agrees_with_checking_every_query() -> None:
    rng = random.Random(5)
    queries = {f"q{i}": random_query(rng) for i in range(300)}
    query_set = QuerySet(queries)
    views = demo_views(400)

    checked = 0
    for seen in views:
        expected = [q.query_id for q in query_set.queries if matches(q.tree, seen)]
        assert query_set.match(seen) == expected
        checked += len(query_set.candidates(seen))
    # The prefilter is the point: far fewer exact checks than queries times posts.
    assert checked < 0.5 * len(queries) * len(views)
    assert any(query_set.match(seen) for seen in views)
