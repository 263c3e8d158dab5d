"""The demo stream: deterministic, multilingual, threaded, heavy-tailed, with one outage burst."""

from __future__ import annotations

import hashlib
import itertools
import os
import statistics
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import orjson
import pytest

from rapport.demo import phrases
from rapport.demo.stream import DEFAULT_START, LANGUAGES, generate_posts, write_jsonl
from rapport.records import Post

COUNT = 5000
OUTAGE_TAG = "#novacarddown"
BRAND_ACCOUNTS = {"NovaCardHelp", "NovaCard"}


@pytest.fixture(scope="module")
def posts() -> list[dict[str, Any]]:
    return list(generate_posts(COUNT))


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


def test_same_seed_gives_the_same_stream() -> None:
    assert list(generate_posts(1500, seed=3)) == list(generate_posts(1500, seed=3))
    assert list(generate_posts(300, seed=3)) != list(generate_posts(300, seed=4))


def test_stream_does_not_depend_on_hash_randomisation() -> None:
    script = (
        "import hashlib, orjson\n"
        "from rapport.demo.stream import generate_posts\n"
        "h = hashlib.sha256()\n"
        "for p in generate_posts(1500, seed=5):\n"
        "    h.update(orjson.dumps(p))\n"
        "print(h.hexdigest())\n"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        run = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        digests.add(run.stdout.strip())
    expected = hashlib.sha256()
    for post in generate_posts(1500, seed=5):
        expected.update(orjson.dumps(post))
    assert digests == {expected.hexdigest()}


def test_every_post_decodes_into_a_post_record(posts: list[dict[str, Any]]) -> None:
    for data in posts:
        post = msgspec.convert(data, Post)
        assert post.network in {"x", "facebook", "instagram", "reddit"}
        assert post.created_at.tzinfo is not None
        # and the same through JSON, the way a file or HTTP ingest would see it
        assert msgspec.json.decode(orjson.dumps(data), type=Post) == post


def test_timestamps_are_tz_aware_iso_and_in_order(posts: list[dict[str, Any]]) -> None:
    moments = [_parse(p["created_at"]) for p in posts]
    assert all(m.tzinfo is not None and m.utcoffset() == timedelta(0) for m in moments)
    assert moments == sorted(moments)
    assert DEFAULT_START <= moments[0] < DEFAULT_START + timedelta(seconds=5)
    for author in (p["author"] for p in posts):
        assert _parse(author["created_at"]).tzinfo is not None
        assert _parse(author["created_at"]) < DEFAULT_START


def test_source_ids_are_unique_increasing_numbers(posts: list[dict[str, Any]]) -> None:
    ids = [int(p["source_id"]) for p in posts]
    assert all(p["source_id"].isdigit() for p in posts)
    assert all(a < b for a, b in itertools.pairwise(ids))
    assert all(p["author"]["source_id"].isdigit() for p in posts)


def test_at_least_twelve_languages_with_english_the_largest(posts: list[dict[str, Any]]) -> None:
    langs = Counter(p["lang"] for p in posts)
    assert len(langs) >= 12
    assert set(langs) <= set(LANGUAGES)
    assert langs.most_common(1)[0][0] == "en"
    assert 0.28 < langs["en"] / COUNT < 0.42
    assert len(LANGUAGES) >= 16


def test_hindi_comes_in_devanagari_and_romanised(posts: list[dict[str, Any]]) -> None:
    hindi = [p["text"] for p in posts if p["lang"] == "hi"]
    devanagari = [t for t in hindi if any("\u0900" <= ch <= "\u097f" for ch in t)]
    assert devanagari
    assert len(devanagari) < len(hindi)  # the rest is Hinglish in Latin letters


def test_texts_vary(posts: list[dict[str, Any]]) -> None:
    texts = [p["text"] for p in posts]
    assert len(set(texts)) > 0.6 * len(texts)
    scripts = {unicodedata.name(ch, "?").split()[0] for t in texts for ch in t if ch.isalpha()}
    assert {"LATIN", "CYRILLIC", "ARABIC", "DEVANAGARI", "HANGUL", "HIRAGANA", "CJK"} <= scripts


def test_followers_are_heavy_tailed(posts: list[dict[str, Any]]) -> None:
    authors = {p["author"]["source_id"]: p["author"] for p in posts}
    people = [a for a in authors.values() if a["handle"] not in BRAND_ACCOUNTS]
    followers = [a["followers"] for a in people]
    assert statistics.median(followers) < 1_000
    assert max(followers) > 100_000
    big = [a for a in people if a["followers"] > 100_000]
    small = [a for a in people if a["followers"] < 1_000]
    verified_big = sum(a["verified"] for a in big) / len(big)
    verified_small = sum(a["verified"] for a in small) / len(small)
    assert verified_big > 0.5 > 0.05 > verified_small


def test_authors_are_stable_across_posts(posts: list[dict[str, Any]]) -> None:
    seen: dict[str, tuple[str, str, str]] = {}
    for author in (p["author"] for p in posts):
        identity = (author["handle"], author["display_name"], author["created_at"])
        assert seen.setdefault(author["source_id"], identity) == identity
    handles = Counter(a[0].lower() for a in seen.values())
    assert handles.most_common(1)[0][1] == 1
    assert 200 <= len(seen) <= 5_100


def test_replies_thread_onto_earlier_posts(posts: list[dict[str, Any]]) -> None:
    by_id: dict[str, dict[str, Any]] = {}
    replies = 0
    for post in posts:
        if post["reply_to_id"] is None:
            assert post["conversation_id"] == post["source_id"]
        else:
            replies += 1
            parent = by_id[post["reply_to_id"]]  # an earlier post
            root = by_id[post["conversation_id"]]
            assert root["conversation_id"] == root["source_id"]
            assert parent["conversation_id"] == root["source_id"]
            assert post["network"] == root["network"]
            assert post["lang"] == root["lang"]
        by_id[post["source_id"]] = post
    assert 0.15 < replies / len(posts) < 0.25


def test_care_team_answers_in_the_customers_language(posts: list[dict[str, Any]]) -> None:
    care = [p for p in posts if p["author"]["handle"] == "NovaCardHelp"]
    assert 0.01 < len(care) / len(posts) < 0.08
    assert all(p["reply_to_id"] and p["author"]["verified"] for p in care)
    assert len({p["lang"] for p in care}) >= 10
    assert all(90_000 < p["author"]["followers"] < 120_000 for p in care)


def test_brand_is_mentioned_often(posts: list[dict[str, Any]]) -> None:
    mentioning = [p for p in posts if "@novacard" in p["text"].lower()]
    assert len(mentioning) > 0.3 * len(posts)


def test_post_kinds_show_up(posts: list[dict[str, Any]]) -> None:
    texts = "\n".join(p["text"] for p in posts)
    links = [link for p in posts for link in p["links"]]
    assert "#NovaCardRewards" in texts
    assert any("t.co/" in link for link in links) or "https://t.co/" in texts
    domains = {link.split("/")[2] for link in links}
    assert {"www.reuters.com", "elpais.com"} & domains
    assert any(d.endswith(("substack.com", "wordpress.com")) or d == "medium.com" for d in domains)
    assert any(d.endswith((".xyz", ".top", ".click")) or d == "bit.ly" for d in domains)


def test_links_appear_in_the_text(posts: list[dict[str, Any]]) -> None:
    for post in posts:
        for link in post["links"]:
            # on X the text may carry the t.co form while links carry the expansion
            assert link in post["text"] or "https://t.co/" in post["text"]


def test_media_fields_agree(posts: list[dict[str, Any]]) -> None:
    with_media = [p for p in posts if p["has_media"]]
    for post in posts:
        assert post["has_media"] == bool(post["media_types"])
        assert set(post["media_types"]) <= {"photo", "video"}
    assert 0.05 < len(with_media) / len(posts) < 0.16


def test_metrics_follow_audience(posts: list[dict[str, Any]]) -> None:
    small = [p["metrics"]["likes"] for p in posts if p["author"]["followers"] < 300]
    large = [p["metrics"]["likes"] for p in posts if p["author"]["followers"] > 50_000]
    assert statistics.mean(large) > 20 * statistics.mean(small)
    for post in posts:
        metrics = post["metrics"]
        assert min(metrics["likes"], metrics["reposts"], metrics["replies"], metrics["quotes"]) >= 0
        assert (metrics["views"] is None) == (post["network"] != "x")


def test_one_outage_burst(posts: list[dict[str, Any]]) -> None:
    window = 100
    moments = [_parse(p["created_at"]) for p in posts]
    rates = []
    for begin in range(0, len(posts) - window, window):
        seconds = (moments[begin + window] - moments[begin]).total_seconds()
        rates.append(window / seconds)
    typical = statistics.median(rates)
    peak = max(range(len(rates)), key=rates.__getitem__)
    assert rates[peak] > 4 * typical
    assert 0.5 < peak * window / len(posts) < 0.75
    burst = posts[peak * window : (peak + 1) * window]
    tagged = sum(OUTAGE_TAG in p["text"].lower() for p in burst)
    assert tagged > 0.5 * len(burst)
    calm = posts[: len(posts) // 2]
    assert sum(OUTAGE_TAG in p["text"].lower() for p in calm) < 0.05 * len(calm)
    langs = {p["lang"] for p in posts[3000:3400] if OUTAGE_TAG in p["text"].lower()}
    assert len(langs) >= 10


def test_brand_parameter_renames_everything() -> None:
    texts = [p["text"] for p in generate_posts(3000, brand="Zenpay")]
    joined = "\n".join(texts)
    assert "NovaCard" not in joined
    assert "#ZenpayDown" in joined
    assert "@ZenpayHelp" in joined


def test_start_and_rate_shape_the_timeline() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    stream = list(generate_posts(1000, start=start, posts_per_second=10.0))
    first, last = _parse(stream[0]["created_at"]), _parse(stream[-1]["created_at"])
    assert start <= first
    # 1,000 posts at 10/s with a burst at 6x for 8% of them: roughly 95 s
    assert 60 < (last - start).total_seconds() < 140
    naive = list(generate_posts(5, start=datetime(2025, 1, 1)))
    assert _parse(naive[0]["created_at"]) >= start


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": -1}, "count"),
        ({"count": 5, "posts_per_second": 0.0}, "posts_per_second"),
        ({"count": 5, "brand": "Nova Card"}, "brand"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_posts(**kwargs)


def test_memory_and_setup_do_not_grow_with_count() -> None:
    began = time.perf_counter()
    stream = generate_posts(10**9)
    first = next(stream)
    assert first["source_id"].isdigit()
    assert time.perf_counter() - began < 10


def test_every_locale_can_write_every_kind() -> None:
    for locale in phrases.LOCALES:
        missing = set(phrases.KINDS) - set(locale.book)
        assert not missing, (locale.variant, missing)
        for table in (locale.first, locale.cities, locale.merchants, locale.news, locale.when):
            assert table, locale.variant
    assert set(LANGUAGES) >= {
        "en", "es", "pt", "fr", "de", "it", "ar", "hi", "ru", "tr", "zh", "id", "ja", "nl",
        "pl", "ko",
    }  # fmt: skip


def test_write_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    assert write_jsonl(path, 700, seed=9) == 700
    lines = path.read_bytes().splitlines()
    assert len(lines) == 700
    assert [orjson.loads(line) for line in lines] == list(generate_posts(700, seed=9))
    assert write_jsonl(tmp_path / "empty.jsonl", 0) == 0
