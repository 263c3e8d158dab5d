"""The shared matcher finds exactly what checking every query on its own finds, doing less."""

from __future__ import annotations

import random

from rapport.demo.stream import generate_posts
from rapport.listen.matcher import PostView, QuerySet, matches, requirements
from rapport.listen.query import parse
from rapport.records import Batch, Envelope, Post

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


def post_view(text: str) -> PostView:
    from tests.conftest import make_post

    return PostView.of(make_post("1", text, lang="en"))


def test_every_part_of_an_and_needs_one_of_its_words_before_any_check() -> None:
    assert requirements(parse("card AND (stolen OR lost) -thanks")) == (
        frozenset({"card"}),
        frozenset({"lost", "stolen"}),
    )
    # (a AND b) OR c holds exactly when (a OR c) AND (b OR c) does.
    assert requirements(parse('"card declined" OR refund*')) == (
        frozenset({"card", "refund"}),
        frozenset({"declined", "refund"}),
    )
    assert requirements(parse("app NEAR/2 crash")) == (frozenset({"app"}), frozenset({"crash"}))
    assert requirements(parse("card OR lang:es")) == ()

    queries = QuerySet({"stolen": "card AND (stolen OR lost)", "fields": "lang:en -spam"})
    assert queries.candidates(post_view("My card works fine")) == (1,)
    assert queries.candidates(post_view("Card stolen!")) == (0, 1)
    assert queries.candidates(post_view("Stolen scorecard")) == (1,)  # `card` must start a word
    for _ in range(2):  # the second time, the candidates are the remembered ones
        assert queries.match(post_view("I LOST my card")) == ["stolen", "fields"]
        assert queries.match(post_view("lost my cards")) == ["fields"]


def test_the_prefilter_never_drops_a_match_whatever_surrounds_the_words() -> None:
    # Words glued to others, plurals, hashtags, underscores and text without spaces: the
    # requirements must hold for every post a query matches, or a match would be lost.
    from rapport.pipeline.normalise import NormaliseStage
    from rapport.pipeline.runner import Runner
    from tests.conftest import make_post

    rng = random.Random(9)
    glue = [" ", " ", ", ", "_", "-", "'", "!! ", "\n"]
    shapes = ["{}", "{}s", "x{}", "#{}", "@{}", "{}東京", "東京{}"]
    texts = []
    for _ in range(600):
        words = [rng.choice(shapes).format(rng.choice(VOCABULARY)) for _ in range(6)]
        texts.append("".join(w + rng.choice(glue) for w in words))
    batch = Batch(
        source="t",
        items=tuple(Envelope(post=make_post(str(i), t)) for i, t in enumerate(texts)),
    )
    posts = [e.post for e in Runner([NormaliseStage()]).process(batch).items]
    query_set = QuerySet({f"q{i}": random_query(rng) for i in range(400)})
    for post in posts:
        seen = PostView.of(post)
        expected = [q.query_id for q in query_set.queries if matches(q.tree, seen)]
        assert query_set.match(seen) == expected, post.text
