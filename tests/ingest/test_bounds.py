"""Values the records accept are values the pipeline and both databases hold.

Each extreme value here once failed a whole HTTP batch with 500 (issue 21, defect 1): a log
of a negative follower count, an integer past BIGINT at insert, a date that overflows when
moved to UTC, nesting deep enough to exhaust the decoder's recursion. Now the one item is
quarantined with a reason naming the field and the value, and its neighbours are stored.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rapport.ingest.base import Limits
from rapport.ingest.http import parse_body
from rapport.ingest.jsonl import JsonlReader
from rapport.ingest.twcs import TwcsReader
from rapport.ingest.x_v2 import XV2Reader
from rapport.pipeline.build import build_runner
from rapport.records import Author, Post, PublicMetrics, Rejected
from rapport.score.priority import influence_parts
from rapport.settings import Settings
from rapport.store import Database
from rapport.store.quarantine import list_entries
from rapport.web.app import create_app
from tests.ingest.corpus import good
from tests.web.test_access import admin_client, cheap_hashing

__all__ = ["cheap_hashing"]


def dumps(value: Any) -> bytes:
    # Not orjson: it refuses integers past 64 bits, and those are among the cases.
    return json.dumps(value, ensure_ascii=False).encode()


LIMITS = Limits(max_text_chars=25_000, max_record_bytes=1_000_000, networks=frozenset({"x"}))
DEEP = b"[" * 10_000 + b"]" * 10_000


def author(**fields: Any) -> dict[str, Any]:
    return {"source_id": "u9", "handle": "user9", **fields}


# (name, the bad item, what its reason must say)
EXTREMES: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("negative followers", good("9", author=author(followers=-1)), ("author.followers", "-1")),
    ("followers 2^63", good("9", author=author(followers=2**63)), ("author.followers", str(2**63))),
    ("likes 2^64", good("9", metrics={"likes": 2**64}), ("metrics.likes", str(2**64))),
    ("views 10^30", good("9", metrics={"views": 10**30}), ("metrics.views", str(10**30))),
    ("year 1", good("9", created_at="0001-01-01T00:00:00Z"), ("created_at", "0001-01-01")),
    ("year 1 without a zone", good("9", created_at="0001-01-01T00:00:00"), ("0001-01-01",)),
    (
        "last moment, west of UTC",
        good("9", created_at="9999-12-31T23:59:59-14:00"),
        ("created_at", "9999-12-31"),
    ),
    (
        "author created near the maximum",
        good("9", author=author(created_at="9999-12-31T23:59:59Z")),
        ("author.created_at", "9999-12-31"),
    ),
    (
        "source id longer than the column",
        good("9" * 65),
        ("source_id", "64"),
    ),
    ("handle longer than the column", good("9", author=author(handle="h" * 129)), ("handle",)),
    ("language longer than the column", good("9", lang="x" * 17), ("lang",)),
    ("escaped NUL in a reply id", good("9", reply_to_id="1\u00002"), ("reply_to_id", "NUL")),
    ("escaped NUL in a hashtag", good("9", hashtags=["a\u0000"]), ("hashtags[0]", "NUL")),
]
IDS = [case[0] for case in EXTREMES]


@pytest.fixture
def client(settings: Settings, database: Database) -> Iterator[TestClient]:
    app = create_app(settings, database, build_runner(settings, database, enrich=False))
    with admin_client(app, database) as test_client:
        yield test_client


def between_good(item: bytes) -> bytes:
    return b"[" + dumps(good("1")) + b"," + item + b"," + dumps(good("2")) + b"]"


@pytest.mark.parametrize(("name", "bad", "said"), EXTREMES, ids=IDS)
def test_one_extreme_value_costs_only_its_item_over_http(
    client: TestClient, database: Database, name: str, bad: dict[str, Any], said: tuple[str, ...]
) -> None:
    response = client.post("/api/v1/posts", content=between_good(dumps(bad)))

    assert response.status_code == 207, response.text
    result = response.json()
    assert (result["stored"], result["quarantined"]) == (2, 1)
    [reject] = result["rejects"]
    assert reject["where"] == "item 1"
    for phrase in said:
        assert phrase in reject["reason"]
    assert database.count_posts() == 2
    assert len(list_entries(database)) == 1


@pytest.mark.parametrize(
    ("name", "item", "said"),
    [
        ("nested 10,000 deep", dumps(good("9"))[:-1] + b',"deep":' + DEEP + b"}", "deep"),
        ("raw NUL byte", dumps(good("9", text="a_b")).replace(b"a_b", b"a\x00b"), "malformed"),
        ("lone surrogate", dumps(good("9", text="a_b")).replace(b"a_b", b"a\\ud800b"), "malformed"),
    ],
)
def test_an_item_that_does_not_parse_costs_only_itself(
    client: TestClient, database: Database, name: str, item: bytes, said: str
) -> None:
    response = client.post("/api/v1/posts", content=between_good(item))

    assert response.status_code == 207, response.text
    result = response.json()
    assert (result["stored"], result["quarantined"]) == (2, 1)
    [reject] = result["rejects"]
    assert reject["where"] == "item 1"
    assert said in reject["reason"]
    [entry] = list_entries(database)
    assert entry.location == "item 1"


@pytest.mark.parametrize("body", [DEEP, b'{"posts": ' + DEEP + b"}", b"{" * 10_000])
def test_a_body_nested_too_deep_is_refused_whole(
    client: TestClient, database: Database, body: bytes
) -> None:
    response = client.post("/api/v1/posts", content=body)

    assert response.status_code == 422
    assert response.json()["quarantined"] == 1
    assert len(list_entries(database)) == 1


def test_a_body_of_posts_and_broken_items_keeps_each_in_place() -> None:
    # Commas and brackets inside strings are text, not item boundaries.
    tricky = good("3", text='a, "quoted" ] } [ { text \\')
    body = (
        b'{"posts": ['
        + dumps(good("1"))
        + b', {"text": "a\x00b", "list": [1, 2]}, '
        + dumps(tricky)
        + b', "\\udc00"]}'
    )
    parsed = parse_body(body, "r1", LIMITS)

    assert [type(p).__name__ for p in parsed] == ["Post", "Rejected", "Post", "Rejected"]
    assert [p.location for p in parsed if isinstance(p, Rejected)] == ["item 1", "item 3"]
    assert isinstance(parsed[2], Post)
    assert parsed[2].text == tricky["text"]


@pytest.mark.parametrize(("name", "bad", "said"), EXTREMES, ids=IDS)
def test_one_extreme_value_costs_only_its_line_in_jsonl(
    name: str, bad: dict[str, Any], said: tuple[str, ...]
) -> None:
    data = b"\n".join(dumps(p) for p in (good("1"), bad, good("2"))) + b"\n"
    parsed = list(JsonlReader(LIMITS).read(io.BytesIO(data), "in.jsonl"))

    assert [p.source_id for p in parsed if isinstance(p, Post)] == ["1", "2"]
    [reject] = [p for p in parsed if isinstance(p, Rejected)]
    assert reject.location == "line 2"
    for phrase in said:
        assert phrase in reject.reason


def x_response(*tweets: dict[str, Any], users: list[dict[str, Any]]) -> bytes:
    return dumps({"data": list(tweets), "includes": {"users": users}})


def tweet(tweet_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": tweet_id,
        "text": f"refund please ({tweet_id})",
        "author_id": "u1",
        "created_at": "2023-10-12T14:03:11.000Z",
        **fields,
    }


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        (tweet("9", public_metrics={"like_count": 2**64}), ("like_count", str(2**64))),
        (tweet("9", public_metrics={"impression_count": 10**30}), ("impression_count",)),
        (tweet("9", public_metrics={"reply_count": -1}), ("reply_count", "-1")),
        (tweet("9", created_at="9999-12-31T23:59:59-14:00"), ("created_at", "9999-12-31")),
        (tweet("9", created_at="0001-01-01T00:00:00Z"), ("created_at", "0001-01-01")),
        (tweet("9" * 65), ("id",)),
        (tweet("9", author_id="9" * 65), ("author_id",)),
        (tweet("9", conversation_id="1\u00002"), ("conversation_id", "NUL")),
    ],
)
def test_one_extreme_tweet_costs_only_itself(bad: dict[str, Any], said: tuple[str, ...]) -> None:
    user = {"id": "u1", "username": "dana"}
    data = x_response(tweet("1"), bad, tweet("2"), users=[user])
    parsed = list(XV2Reader(LIMITS).read(io.BytesIO(data), "x.jsonl"))

    assert [p.source_id for p in parsed if isinstance(p, Post)] == ["1", "2"]
    [reject] = [p for p in parsed if isinstance(p, Rejected)]
    for phrase in said:
        assert phrase in reject.reason


def test_a_user_with_extreme_values_costs_its_tweets_their_profile_only() -> None:
    # A malformed user is skipped (tests/ingest/test_x_v2.py): its tweets keep the bare id.
    odd = {"id": "u1", "username": "dana", "public_metrics": {"followers_count": -1}}
    late = {"id": "u2", "username": "eve", "created_at": "9999-12-31T23:59:59Z"}
    data = x_response(tweet("1"), tweet("2", author_id="u2"), users=[odd, late])
    parsed = list(XV2Reader(LIMITS).read(io.BytesIO(data), "x.jsonl"))

    first, second = parsed
    assert isinstance(first, Post)
    assert first.author.handle == "u1"
    assert isinstance(second, Post)
    assert second.author.handle == "u2"


TWCS_HEADER = (
    b"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"
)


@pytest.mark.parametrize(
    ("row", "said"),
    [
        (b"9,c1,True,Fri Dec 31 23:59:59 -1400 9999,hi,,", ("created_at", "9999-12-31")),
        (b"9,c1,True,0001-01-01T00:00:00+00:00,hi,,", ("created_at", "0001-01-01")),
        (b"9" * 65 + b",c1,True,Tue Oct 31 22:10:47 +0000 2017,hi,,", ("source_id",)),
        (b"9,c" + b"1" * 64 + b",True,Tue Oct 31 22:10:47 +0000 2017,hi,,", ("author",)),
        (b"9,c1,True,Tue Oct 31 22:10:47 +0000 2017,hi,," + b"7" * 65, ("reply_to_id",)),
    ],
)
def test_one_extreme_row_costs_only_itself(row: bytes, said: tuple[str, ...]) -> None:
    ok = b"1,c1,True,Tue Oct 31 22:10:47 +0000 2017,hello,,"
    data = b"\n".join((TWCS_HEADER, ok, row, ok.replace(b"1,", b"2,", 1))) + b"\n"
    parsed = list(TwcsReader(LIMITS).read(io.BytesIO(data), "twcs.csv"))

    assert [p.source_id for p in parsed if isinstance(p, Post)] == ["1", "2"]
    [reject] = [p for p in parsed if isinstance(p, Rejected)]
    for phrase in said:
        assert phrase in reject.reason


def test_influence_of_a_record_built_in_code_never_fails_on_a_negative_count() -> None:
    # Readers refuse negative counts; a record built directly must still score.
    odd = Author(source_id="a", handle="a", followers=-1)
    parts = influence_parts(odd, PublicMetrics(likes=-5))
    assert all(part >= 0 for part in parts)


def test_the_bounds_hold_the_values_the_networks_really_send() -> None:
    big = good(
        "9",
        author=author(followers=2**63 - 1, created_at="2006-03-21T20:50:14Z"),
        metrics={"likes": 2**63 - 1, "views": 0},
        created_at="2099-12-31T23:59:59+14:00",
    )
    [post] = parse_body(dumps([big]), "r1", LIMITS)
    assert isinstance(post, Post)
    assert post.created_at.astimezone(UTC) < datetime(2100, 1, 1, tzinfo=UTC)
