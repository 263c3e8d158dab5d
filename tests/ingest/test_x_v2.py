"""X API v2 responses: tweets map onto posts, and each bad tweet is quarantined on its own."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

import orjson

from rapport.ingest.base import KEEP_OF_OVERSIZE, Limits
from rapport.ingest.x_v2 import XV2Reader
from rapport.records import Post, PublicMetrics, Rejected

LIMITS = Limits(max_text_chars=25_000, max_record_bytes=1_000_000, networks=frozenset({"x"}))


def tweet(tweet_id: str, **fields: Any) -> dict[str, Any]:
    """A tweet as recent search returns it with the usual tweet.fields."""
    item: dict[str, Any] = {
        "id": tweet_id,
        "text": f"@AcmeSupport still waiting on my refund ({tweet_id})",
        "author_id": "2244994945",
        "created_at": "2023-10-12T14:03:11.000Z",
        "conversation_id": tweet_id,
        "edit_history_tweet_ids": [tweet_id],
        "lang": "en",
        "public_metrics": {
            "retweet_count": 0,
            "reply_count": 0,
            "like_count": 0,
            "quote_count": 0,
            "bookmark_count": 0,
            "impression_count": 12,
        },
    }
    item.update(fields)
    return item


DANA = {
    "id": "2244994945",
    "name": "Dana Quist",
    "username": "dana_q",
    "verified": False,
    "created_at": "2013-12-14T04:35:55.000Z",
    "public_metrics": {
        "followers_count": 120,
        "following_count": 80,
        "tweet_count": 4200,
        "listed_count": 3,
        "like_count": 310,
    },
}
ACME = {"id": "783214", "name": "Acme Support", "username": "AcmeSupport", "verified": True}
PHOTO = {"media_key": "3_1712345678800000000", "type": "photo", "width": 1200, "height": 900}
GIF = {"media_key": "16_1712345678800000001", "type": "animated_gif"}


def response(*tweets: dict[str, Any], users: list[Any] | None = None, **extra: Any) -> bytes:
    body: dict[str, Any] = {
        "data": list(tweets),
        "includes": {"users": [DANA, ACME] if users is None else users, "media": [PHOTO, GIF]},
        "meta": {
            "newest_id": tweets[0]["id"] if tweets else "0",
            "oldest_id": tweets[-1]["id"] if tweets else "0",
            "result_count": len(tweets),
            "next_token": "b26v89c19zqg8o3fo7gesq314yb9l2l4ptqy",
        },
    }
    body.update(extra)
    return orjson.dumps(body)


def read(data: bytes, reader: XV2Reader | None = None) -> list[Post | Rejected]:
    return list((reader or XV2Reader(LIMITS)).read(io.BytesIO(data), "search.jsonl"))


def posts(parsed: list[Post | Rejected]) -> list[Post]:
    return [p for p in parsed if isinstance(p, Post)]


def rejects(parsed: list[Post | Rejected]) -> list[Rejected]:
    return [p for p in parsed if isinstance(p, Rejected)]


def test_a_reply_maps_every_field() -> None:
    reply = tweet(
        "1712345678901234567",
        text="@AcmeSupport order never came https://t.co/abc123 #Fail #fail $acme https://t.co/p1",
        conversation_id="1712345000000000000",
        in_reply_to_user_id="783214",
        referenced_tweets=[{"type": "replied_to", "id": "1712345000000000000"}],
        entities={
            "urls": [
                {
                    "start": 30,
                    "end": 53,
                    "url": "https://t.co/abc123",
                    "expanded_url": "https://shop.example.com/orders/A123",
                    "display_url": "shop.example.com/orders/A123",
                },
                {"start": 0, "end": 5, "url": "https://t.co/zz", "expanded_url": "ftp://x.example"},
                {
                    "start": 70,
                    "end": 93,
                    "url": "https://t.co/p1",
                    "expanded_url": "https://twitter.com/dana_q/status/1712345678901234567/photo/1",
                    "media_key": "3_1712345678800000000",
                },
            ],
            "hashtags": [
                {"start": 54, "end": 59, "tag": "Fail"},
                {"start": 60, "end": 65, "tag": "fail"},
            ],
            "mentions": [{"start": 0, "end": 12, "username": "AcmeSupport", "id": "783214"}],
            "cashtags": [{"start": 66, "end": 71, "tag": "acme"}],
        },
        attachments={"media_keys": ["3_1712345678800000000", "16_1712345678800000001"]},
        public_metrics={
            "retweet_count": 2,
            "reply_count": 1,
            "like_count": 5,
            "quote_count": 3,
            "bookmark_count": 0,
            "impression_count": 321,
        },
    )
    [post] = read(response(reply) + b"\n")

    assert isinstance(post, Post)
    assert post.network == "x"
    assert post.source_id == "1712345678901234567"
    assert post.text == reply["text"]
    assert post.created_at == datetime(2023, 10, 12, 14, 3, 11, tzinfo=UTC)
    assert post.conversation_id == "1712345000000000000"
    assert post.reply_to_id == "1712345000000000000"
    assert (post.quote_of_id, post.repost_of_id) == (None, None)
    assert post.lang == "en"
    # ftp:// is not a web link; the photo's own t.co link is the attachment, not a shared link.
    assert post.links == ("https://shop.example.com/orders/A123",)
    assert post.hashtags == ("fail",)
    assert post.mentions == ("acmesupport",)
    assert post.cashtags == ("ACME",)
    assert post.has_media is True
    assert post.media_types == ("photo", "animated_gif")
    assert post.metrics == PublicMetrics(likes=5, reposts=2, replies=1, quotes=3, views=321)
    author = post.author
    assert (author.source_id, author.handle, author.display_name) == (
        "2244994945",
        "dana_q",
        "Dana Quist",
    )
    assert (author.followers, author.following, author.post_count) == (120, 80, 4200)
    assert author.verified is False
    assert author.created_at == datetime(2013, 12, 14, 4, 35, 55, tzinfo=UTC)


def test_quotes_retweets_and_pseudo_languages() -> None:
    quote = tweet(
        "2",
        author_id="783214",
        lang="qme",
        referenced_tweets=[{"type": "quoted", "id": "1"}],
    )
    retweet = tweet(
        "3",
        text="RT @AcmeSupport: We are back up!",
        lang="und",
        referenced_tweets=[{"type": "retweeted", "id": "2"}],
    )
    plain = tweet("4", lang="zxx")
    parsed = read(response(quote, retweet, plain))

    q, rt, p = posts(parsed)
    assert (q.quote_of_id, q.reply_to_id, q.repost_of_id) == ("1", None, None)
    assert q.author.handle == "AcmeSupport"
    assert q.author.verified is True
    assert rt.repost_of_id == "2"
    assert rt.quote_of_id is None
    assert [q.lang, rt.lang, p.lang] == [None, None, None]
    assert p.has_media is False
    assert p.metrics == PublicMetrics(views=12)


def test_a_long_post_reads_its_note_tweet() -> None:
    full = "My flight was cancelled twice. " * 30 + "#delayed @AirlineHelp"
    long = tweet(
        "5",
        text=full[:277] + "…",
        note_tweet={
            "text": full,
            "entities": {
                "hashtags": [{"start": 930, "end": 938, "tag": "delayed"}],
                "mentions": [{"start": 939, "end": 951, "username": "AirlineHelp"}],
            },
        },
    )
    [post] = read(response(long))
    assert isinstance(post, Post)
    assert post.text == full
    assert post.hashtags == ("delayed",)
    assert post.mentions == ("airlinehelp",)


def test_a_tweet_whose_user_is_missing_keeps_the_author_id() -> None:
    parsed = read(response(tweet("6", author_id="999")))
    [post] = posts(parsed)
    assert (post.author.source_id, post.author.handle) == ("999", "999")
    assert post.author.display_name == ""
    # A malformed user is skipped the same way: the tweet still reads.
    parsed = read(response(tweet("7"), users=[{"id": "2244994945", "username": 42}]))
    assert [p.author.handle for p in posts(parsed)] == ["2244994945"]


def test_one_bad_tweet_is_quarantined_and_its_neighbours_come_through() -> None:
    no_author = tweet("11")
    del no_author["author_id"]
    numeric_id = tweet("12", id=12)
    bad_date = tweet("13", created_at="yesterday")
    bad_nested = tweet("14", referenced_tweets=[{"type": "quoted"}])
    body = response(tweet("10"), no_author, numeric_id, bad_date, bad_nested, tweet("15"))
    parsed = read(response(tweet("9")) + b"\n" + body + b"\n")

    assert [p.source_id for p in posts(parsed)] == ["9", "10", "15"]
    found = {r.location: r.reason for r in rejects(parsed)}
    assert found == {
        "line 2, data[1]": "data[1]: missing field 'author_id'",
        "line 2, data[2]": "data[2]: field 'id': expected str, got int",
        "line 2, data[3]": "data[3]: field 'created_at': invalid RFC3339 encoded datetime",
        "line 2, data[4]": "data[4]: missing field 'referenced_tweets[0].id'",
    }
    assert all(r.format == "x-v2" for r in rejects(parsed))


def test_a_rejected_tweet_is_kept_as_a_response_that_replays() -> None:
    bad = tweet(
        "20", text="card declined \u0000 again", attachments={"media_keys": [PHOTO["media_key"]]}
    )
    parsed = read(response(tweet("19"), bad))
    [rejected] = rejects(parsed)
    assert rejected.location == "line 1, data[1]"
    assert rejected.reason == "data[1]: text contains a NUL character"
    kept = orjson.loads(rejected.raw)
    assert kept == {"data": [bad], "includes": {"users": [DANA], "media": [PHOTO]}}

    # Replayed as it is it fails the same way; fixed by a person, it reads with its user.
    assert [r.reason for r in rejects(read(rejected.raw))] == [
        "data[0]: text contains a NUL character"
    ]
    [fixed] = read(rejected.raw.replace(b"\\u0000", b""))
    assert isinstance(fixed, Post)
    assert (fixed.source_id, fixed.author.handle, fixed.media_types) == ("20", "dana_q", ("photo",))


def test_a_line_that_is_not_json_keeps_its_bytes_and_reading_goes_on() -> None:
    parsed = read(response(tweet("1")) + b"\nnot json at all\n[1, 2]\n\n" + response(tweet("2")))
    assert [p.source_id for p in posts(parsed)] == ["1", "2"]
    garbage, array = rejects(parsed)
    assert (garbage.location, garbage.raw) == ("line 2", b"not json at all")
    assert garbage.reason.startswith("malformed JSON")
    assert (array.location, array.reason) == (
        "line 3",
        "not an X API v2 response: expected a JSON object",
    )


def test_invalid_utf8_costs_only_its_tweet() -> None:
    body = response(tweet("1"), tweet("2", text="caf\u00e9"), tweet("3"))
    body = body.replace("caf\u00e9".encode(), b"caf\xe9")
    parsed = read(body)
    assert [p.source_id for p in posts(parsed)] == ["1", "3"]
    [rejected] = rejects(parsed)
    assert rejected.location == "line 1, data[1]"
    assert rejected.reason.startswith("data[1]: invalid UTF-8 at byte")
    assert b"caf\xe9" in rejected.raw


def test_a_raw_nul_byte_in_a_line_rejects_the_line() -> None:
    parsed = read(
        response(tweet("1")).replace(b"still", b"st\x00ill") + b"\n" + response(tweet("2"))
    )
    [rejected, post] = parsed
    assert isinstance(rejected, Rejected)
    assert rejected.location == "line 1"
    assert rejected.reason.startswith("malformed JSON")
    assert isinstance(post, Post)


def test_a_stream_message_with_one_tweet_and_partial_errors() -> None:
    message: dict[str, Any] = {
        "data": tweet("30", referenced_tweets=[{"type": "quoted", "id": "29"}]),
        "includes": {"users": [DANA]},
        "matching_rules": [{"id": "1712", "tag": "acme complaints"}],
    }
    errors: list[dict[str, str]] = [
        {
            "value": "29",
            "detail": "Could not find tweet with referenced_tweets.id: [29].",
            "title": "Not Found Error",
            "resource_type": "tweet",
            "parameter": "referenced_tweets.id",
            "resource_id": "29",
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        }
    ]
    only_errors = {"errors": errors * 2}
    reader = XV2Reader(LIMITS)
    data = orjson.dumps({**message, "errors": errors}) + b"\n" + orjson.dumps(only_errors)
    [post] = read(data, reader)
    assert isinstance(post, Post)
    assert (post.source_id, post.quote_of_id, post.author.handle) == ("30", "29", "dana_q")
    assert reader.partial_errors == 3
    # A single-tweet `data` is located without an index.
    broken = {**message, "data": {**message["data"], "text": None}}
    [rejected] = read(orjson.dumps(broken))
    assert isinstance(rejected, Rejected)
    assert (rejected.location, rejected.reason) == (
        "line 1, data",
        "data: field 'text': expected str, got null",
    )


def test_a_pretty_printed_response_is_read_as_one_document() -> None:
    no_text = tweet("42")
    del no_text["text"]
    document = {
        "data": [tweet("41"), no_text, tweet("43", author_id="783214")],
        "includes": {"users": [DANA, ACME]},
        "meta": {"result_count": 3, "newest_id": "43", "oldest_id": "41"},
    }
    parsed = read(json.dumps(document, indent=2).encode())
    assert [(p.source_id, p.author.handle) for p in posts(parsed)] == [
        ("41", "dana_q"),
        ("43", "AcmeSupport"),
    ]
    [rejected] = rejects(parsed)
    assert (rejected.location, rejected.reason) == (
        "document, data[1]",
        "data[1]: missing field 'text'",
    )
    assert orjson.loads(rejected.raw)["data"] == [no_text]


def test_a_broken_pretty_printed_document_is_one_reject() -> None:
    text = json.dumps({"data": [tweet("1")]}, indent=2)
    [rejected] = read(text[:-30].encode())
    assert isinstance(rejected, Rejected)
    assert rejected.location == "document"
    assert "truncated" in rejected.reason


def test_an_oversize_line_is_cut_and_the_next_line_still_reads() -> None:
    huge = response(tweet("1", text="x" * 1_100_000))
    parsed = read(huge + b"\n" + response(tweet("2")) + b"\n")
    rejected, post = parsed
    assert isinstance(rejected, Rejected)
    assert (rejected.location, rejected.reason) == (
        "line 1",
        "record is over 1000000 bytes (RAPPORT_MAX_RECORD_BYTES)",
    )
    assert len(rejected.raw) == KEEP_OF_OVERSIZE
    assert isinstance(post, Post)
    assert post.source_id == "2"


def test_text_over_the_character_limit_is_rejected() -> None:
    parsed = read(response(tweet("1", note_tweet={"text": "y" * 25_001})))
    [rejected] = rejects(parsed)
    assert rejected.reason.startswith("data[0]: text is 25001 characters, over the limit")


def test_empty_input_and_responses_without_tweets_give_nothing() -> None:
    assert read(b"") == []
    assert read(b"\n\n") == []
    assert read(orjson.dumps({"meta": {"result_count": 0}}) + b"\n") == []
    assert read(b'{"data": null}\n') == []
    [rejected] = read(b'{"data": 5}\n')
    assert isinstance(rejected, Rejected)
    assert rejected.reason == "field 'data': expected a tweet object or a list of tweets"
