"""Property tests of ingest: hostile batches in every format, over both databases.

Hypothesis builds batches that mix good posts (with extreme but legal values: counts up
to BIGINT, times at the ends of the window, any printable text) with bad ones (one field
out of bounds, of the wrong type, holding a NUL, or the item not JSON at all). Through each
reader and the HTTP body, then the whole pipeline into the database: every good post is
stored exactly once, every bad one is quarantined with a reason, nothing raises and
nothing answers 500.

Bounded by `BOUNDED` so the module takes seconds; RAPPORT_INGEST_EXAMPLES runs more.
"""

from __future__ import annotations

import io
import itertools
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.ingest.base import Limits, batched
from rapport.ingest.formats import reader_for
from rapport.pipeline.build import build_runner
from rapport.pipeline.runner import Runner
from rapport.settings import Settings
from rapport.store import Database
from rapport.store.quarantine import list_entries
from rapport.web.app import create_app
from tests.web.test_access import admin_client, cheap_hashing

__all__ = ["cheap_hashing"]

BOUNDED = settings(
    max_examples=int(os.environ.get("RAPPORT_INGEST_EXAMPLES", "30")),
    deadline=None,
    database=None,  # no example files in the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_serial = itertools.count()
MAX_BIGINT = 2**63 - 1  # what BIGINT holds in both databases

# -- values ----------------------------------------------------------------------------

ZONES: list[tzinfo] = [
    UTC,
    timezone(timedelta(hours=14)),
    timezone(-timedelta(hours=14)),
    timezone(timedelta(hours=5, minutes=30)),
]
good_counts = st.one_of(st.integers(0, MAX_BIGINT), st.sampled_from([0, MAX_BIGINT]))
bad_counts = st.one_of(
    st.integers(max_value=-1),
    st.integers(min_value=MAX_BIGINT + 1),
    st.sampled_from([-1, 2**63, 2**64, 10**30]),
)
good_times = st.one_of(
    st.datetimes(datetime(1970, 1, 2), datetime(2099, 12, 30), timezones=st.sampled_from(ZONES)),
    st.sampled_from([datetime(1970, 1, 1, tzinfo=UTC), datetime(2099, 12, 31, 23, 59, tzinfo=UTC)]),
)
bad_times = st.one_of(
    st.datetimes(max_value=datetime(1969, 12, 30), timezones=st.sampled_from(ZONES)),
    st.datetimes(min_value=datetime(2100, 1, 2), timezones=st.sampled_from(ZONES)),
    st.sampled_from(
        [
            datetime(1, 1, 1, tzinfo=UTC),
            datetime(9999, 12, 31, 23, 59, 59, tzinfo=ZONES[2]),
            datetime(2100, 1, 1, tzinfo=UTC),
        ]
    ),
)
# Any character a network could send, but no NUL (PostgreSQL refuses it) and no lone
# surrogate (not text at all).
printable = st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")
good_text = st.text(printable, max_size=60)
with_nul = st.builds(lambda a, b: f"{a}\x00{b}", good_text, good_text)
short_with_nul = st.text(printable, max_size=20).map(lambda s: s + "\x00")
wrong_types: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.booleans(), st.floats(allow_nan=False), st.lists(st.integers(), max_size=2)
)


@dataclass(frozen=True)
class Item:
    """One record of a batch, in the format's own terms, and whether it must be stored."""

    value: Any
    good: bool
    source_id: str
    raw: bytes | None = None  # bytes that are not JSON of `value` (corruption)


def dumps(value: Any) -> bytes:
    # Not orjson: it refuses integers past 64 bits, and those are among the cases.
    return json.dumps(value, ensure_ascii=False).encode()


def stamp(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


# -- Rapport's JSON (rapport-jsonl and the HTTP body) ---------------------------------


LINKS = ["https://ex.com/a", "http://[::1]/x", "https://" + "w." * 40 + "com/"]


def rapport_post(sid: str, draw: st.DrawFn) -> dict[str, Any]:
    return {
        "network": "x",
        "source_id": sid,
        "author": {
            "source_id": "u" + draw(st.sampled_from(["1", "2", sid])),
            "handle": draw(st.sampled_from(["dana", "h" * 128, "Ω☃"])),
            "display_name": draw(good_text),
            "followers": draw(good_counts),
            "following": draw(good_counts),
            "post_count": draw(good_counts),
            "created_at": stamp(draw(good_times)),
        },
        "text": draw(good_text),
        "created_at": stamp(draw(good_times)),
        "lang": draw(st.sampled_from([None, "en", "x" * 16])),
        "hashtags": draw(st.lists(good_text, max_size=2)),
        "links": draw(st.lists(st.sampled_from(LINKS), max_size=2)),
        "metrics": {
            "likes": draw(good_counts),
            "reposts": draw(good_counts),
            "views": draw(st.one_of(st.none(), good_counts)),
        },
    }  # fmt: skip


def _set(post: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *parents, last = path.split(".")
    target = post
    for name in parents:
        target = target[name]
    target[last] = value
    return post


RAPPORT_BAD: list[tuple[str, st.SearchStrategy[Any]]] = [
    *((f"author.{n}", bad_counts) for n in ("followers", "following", "post_count")),
    *((f"metrics.{n}", bad_counts) for n in ("likes", "reposts", "views")),
    ("created_at", bad_times.map(stamp)),
    ("author.created_at", bad_times.map(stamp)),
    ("created_at", st.sampled_from(["yesterday", "", "2026-13-01T00:00:00Z"])),
    ("source_id", st.text(printable, min_size=65, max_size=90)),
    ("source_id", st.sampled_from(["", "  "])),
    ("author.handle", st.text(printable, min_size=129, max_size=140)),
    ("lang", st.text(printable, min_size=17, max_size=20)),
    ("network", st.sampled_from(["myspace", "n" * 40])),
    ("links", st.just(["javascript:alert(1)"])),
    ("text", with_nul),
    ("author.display_name", with_nul),
    ("reply_to_id", short_with_nul),
    ("hashtags", with_nul.map(lambda s: [s])),
    ("text", st.just("x" * 25_001)),
    *((f, wrong_types) for f in ("text", "author.followers", "metrics.likes", "author")),
]
# Bytes that break JSON itself inside one item: only the HTTP body can lose just that item.
CORRUPT: list[Callable[[bytes], bytes]] = [
    lambda raw: raw.replace(b'"text": "', b'"text": "\x00', 1),
    lambda raw: raw.replace(b'"text": "', b'"text": "\\ud800', 1),
    lambda raw: raw[:-1] + b', "deep": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
]


@st.composite
def rapport_items(draw: st.DrawFn, corrupt: bool) -> list[Item]:
    prefix = f"p{next(_serial)}-"
    items: list[Item] = []
    for index in range(draw(st.integers(1, 6))):
        sid = prefix + str(index)
        post = rapport_post(sid, draw)
        kind = draw(st.sampled_from(["good", "good", "bad", "corrupt", "again"]))
        if kind == "again" and any(i.good for i in items):
            items.append(draw(st.sampled_from([i for i in items if i.good])))
        elif kind == "bad" or (kind == "corrupt" and not corrupt):
            path, values = draw(st.sampled_from(RAPPORT_BAD))
            items.append(Item(_set(post, path, draw(values)), False, sid))
        elif kind == "corrupt":
            raw = draw(st.sampled_from(CORRUPT))(dumps(post))
            items.append(Item(post, False, sid, raw))
        else:
            items.append(Item(post, True, sid))
    return items


# -- X API v2 ----------------------------------------------------------------------------


def x_tweet(sid: str, draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    user_id = "u" + sid
    tweet = {
        "id": sid,
        "text": draw(good_text),
        "author_id": user_id,
        "created_at": stamp(draw(good_times)),
        "conversation_id": draw(st.sampled_from([sid, "1" * 64])),
        "lang": draw(st.sampled_from(["en", "qme", "und"])),
        "public_metrics": {
            "like_count": draw(good_counts),
            "retweet_count": draw(good_counts),
            "impression_count": draw(good_counts),
        },
    }
    user = {
        "id": user_id,
        "username": draw(st.sampled_from(["dana", "h" * 128])),
        "name": draw(good_text),
        "created_at": stamp(draw(good_times)),
        "public_metrics": {"followers_count": draw(good_counts)},
    }
    return tweet, user


X_BAD: list[tuple[str, st.SearchStrategy[Any]]] = [
    *((f"public_metrics.{n}", bad_counts) for n in ("like_count", "reply_count")),
    ("public_metrics.impression_count", bad_counts),
    ("created_at", bad_times.map(stamp)),
    ("id", st.text("0123456789", min_size=65, max_size=80)),
    ("author_id", st.text(printable, min_size=65, max_size=80)),
    ("conversation_id", short_with_nul),
    ("text", with_nul),
    ("lang", st.text(printable, min_size=17, max_size=20)),
    ("id", wrong_types),
    ("public_metrics", wrong_types.filter(lambda v: v is not None)),
]  # fmt: skip


@st.composite
def x_items(draw: st.DrawFn) -> list[Item]:
    prefix = f"{next(_serial)}0"
    items: list[Item] = []
    for index in range(draw(st.integers(1, 5))):
        sid = prefix + str(index)
        tweet, user = x_tweet(sid, draw)
        # A user out of bounds is skipped like a malformed one: the tweet keeps the bare id.
        if draw(st.booleans()):
            _set(user, "public_metrics.followers_count", draw(bad_counts))
        good = draw(st.booleans())
        if not good:
            path, values = draw(st.sampled_from(X_BAD))
            _set(tweet, path, draw(values))
        items.append(Item({"data": [tweet], "includes": {"users": [user]}}, good, sid))
    return items


# -- twcs ----------------------------------------------------------------------------------

TWCS_HEADER = (
    b"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"
)
csv_text = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\r\n\"'"), max_size=40
).map(lambda s: '"' + s + '"')


def classic(at: datetime) -> str:
    zone = at.strftime("%z") or "+0000"
    return at.strftime(f"%a %b %d %H:%M:%S {zone} ") + f"{at.year:04d}"


@st.composite
def twcs_items(draw: st.DrawFn) -> list[Item]:
    prefix = f"{next(_serial)}0"
    items: list[Item] = []
    for index in range(draw(st.integers(1, 5))):
        sid = prefix + str(index)
        fields = {
            "tweet_id": sid,
            "author_id": draw(st.sampled_from(["AcmeCare", "c1", "9" * 64])),
            "created_at": draw(st.sampled_from([classic, stamp]))(draw(good_times)),
            "text": draw(csv_text),
            "reply": draw(st.sampled_from(["", "1", "7" * 64])),
        }
        good = draw(st.booleans())
        if not good:
            name, values = draw(
                st.sampled_from(
                    [
                        ("created_at", bad_times.map(classic)),
                        ("created_at", bad_times.map(stamp)),
                        ("tweet_id", st.just("9" * 65)),
                        ("author_id", st.just("c" * 65)),
                        ("reply", st.just("7" * 65)),
                        ("text", st.just('"a\x00b"')),
                    ]
                )
            )
            fields[name] = draw(values)
        row = ",".join(
            (fields["tweet_id"], fields["author_id"], "True", fields["created_at"],
             fields["text"], "", fields["reply"])
        )  # fmt: skip
        items.append(Item(row, good, sid, row.encode()))
    return items


# -- running them -----------------------------------------------------------------------


@pytest.fixture
def runner(settings: Settings, database: Database) -> Runner:
    return build_runner(settings, database, enrich=False)


@pytest.fixture
def client(settings: Settings, database: Database, runner: Runner) -> Iterator[TestClient]:
    with admin_client(create_app(settings, database, runner), database) as test_client:
        yield test_client


def body_of(item: Item) -> bytes:
    return item.raw if item.raw is not None else dumps(item.value)


def expect(database: Database, items: list[Item], before: tuple[int, int]) -> None:
    """Each good post stored once, each bad one quarantined."""
    good = {item.source_id for item in items if item.good}
    bad = [item for item in items if not item.good]
    stored = database.count_posts() - before[0]
    kept = len(list_entries(database, limit=1000)) - before[1]
    assert (stored, kept) == (len(good), len(bad))


def counts(database: Database) -> tuple[int, int]:
    return database.count_posts(), len(list_entries(database, limit=1000))


def through_reader(runner: Runner, database: Database, format_name: str, data: bytes) -> list[str]:
    limits = Limits(max_text_chars=25_000, max_record_bytes=1_000_000, networks=frozenset({"x"}))
    # Quarantine keeps a (source, location, bytes) once: each example is a file of its own.
    source = f"example-{next(_serial)}"
    reader = reader_for(format_name, limits)
    reasons = []
    for batch in batched(reader.read(io.BytesIO(data), source), 100, source):
        done = runner.process(batch)
        reasons += [reject.reason for reject in done.rejects]
    return reasons


@BOUNDED
@given(items=rapport_items(corrupt=True))
def test_http_batches(client: TestClient, database: Database, items: list[Item]) -> None:
    before = counts(database)
    body = b"[" + b",".join(body_of(item) for item in items) + b"]"

    response = client.post("/api/v1/posts", content=body)

    good = {item.source_id for item in items if item.good}
    bad = [index for index, item in enumerate(items) if not item.good]
    assert response.status_code == (422 if not good else 207 if bad else 200), response.text
    result = response.json()
    assert [r["where"] for r in result["rejects"]] == [f"item {i}" for i in bad]
    assert all(r["reason"] for r in result["rejects"])
    assert result["stored"] <= len(good)
    expect(database, items, before)


@BOUNDED
@given(items=rapport_items(corrupt=False))
def test_rapport_jsonl_files(runner: Runner, database: Database, items: list[Item]) -> None:
    before = counts(database)
    data = b"\n".join(body_of(item) for item in items) + b"\n"

    reasons = through_reader(runner, database, "rapport-jsonl", data)

    assert len(reasons) == sum(not item.good for item in items)
    assert all(reasons)
    expect(database, items, before)


@BOUNDED
@given(items=x_items())
def test_x_v2_files(runner: Runner, database: Database, items: list[Item]) -> None:
    before = counts(database)
    data = b"\n".join(dumps(item.value) for item in items) + b"\n"

    reasons = through_reader(runner, database, "x-v2", data)

    assert len(reasons) == sum(not item.good for item in items)
    assert all(reasons)
    expect(database, items, before)


@BOUNDED
@given(items=twcs_items())
def test_twcs_files(runner: Runner, database: Database, items: list[Item]) -> None:
    before = counts(database)
    data = b"\n".join((TWCS_HEADER, *(body_of(item) for item in items))) + b"\n"

    reasons = through_reader(runner, database, "twcs", data)

    assert len(reasons) == sum(not item.good for item in items)
    assert all(reasons)
    expect(database, items, before)
