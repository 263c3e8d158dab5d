"""The Kaggle customer-support CSV: rows map onto posts; a bad row costs itself, never the file."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest

from rapport.ingest.base import KEEP_OF_OVERSIZE, Limits
from rapport.ingest.twcs import MAX_RECORD_LINES, TwcsReader, parse_created_at
from rapport.records import Author, Post, Rejected

LIMITS = Limits(max_text_chars=25_000, max_record_bytes=1_000_000, networks=frozenset({"x"}))
HEADER = b"tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"
# Written in the file's own shape: a brand answers, the customer replies, the brand again.
ROWS = [
    b"101,AcmeCare,False,Tue Oct 31 22:10:47 +0000 2017,"
    b"@200101 So sorry about the wait! Could you DM us your order number? ^JK,102,103",
    b"102,200101,True,Tue Oct 31 22:14:02 +0000 2017,@AcmeCare sent it just now,,101",
    b'103,200101,True,Tue Oct 31 21:58:30 +0000 2017,"@AcmeCare my parcel says ""delivered"", '
    b'but it is not here",101,',
]


def read(data: bytes) -> list[Post | Rejected]:
    return list(TwcsReader(LIMITS).read(io.BytesIO(data), "twcs.csv"))


def csv(*rows: bytes, header: bytes = HEADER) -> bytes:
    return b"\n".join((header, *rows)) + b"\n"


def posts(parsed: list[Post | Rejected]) -> list[Post]:
    return [p for p in parsed if isinstance(p, Post)]


def rejects(parsed: list[Post | Rejected]) -> list[Rejected]:
    return [p for p in parsed if isinstance(p, Rejected)]


def test_rows_map_onto_posts() -> None:
    first, second, third = read(csv(*ROWS))

    assert isinstance(first, Post)
    assert first.network == "x"
    assert first.source_id == "101"
    assert first.author == Author(source_id="AcmeCare", handle="AcmeCare")
    assert first.text == "@200101 So sorry about the wait! Could you DM us your order number? ^JK"
    assert first.created_at == datetime(2017, 10, 31, 22, 10, 47, tzinfo=UTC)
    assert first.reply_to_id == "103"
    assert first.conversation_id is None
    assert first.links == ()
    assert isinstance(second, Post)
    assert second.author == Author(source_id="200101", handle="200101")
    assert second.reply_to_id == "101"
    assert isinstance(third, Post)
    assert third.text == '@AcmeCare my parcel says "delivered", but it is not here'
    assert third.reply_to_id is None


def test_a_leading_index_column_and_float_reply_ids() -> None:
    data = (
        b",tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        b"0,1,sprintlike,False,Tue Oct 31 22:10:47 +0000 2017,@115712 I understand. DM us.,2,3.0\n"
        b"1,2,115712,True,Tue Oct 31 22:11:45 +0000 2017,@sprintlike and how do I do that,,1.0\n"
        b'5,6,sprintlike,False,Tue Oct 31 21:46:24 +0000 2017,"@115712 Hi, DM us","5,7",8.00\n'
    )
    parsed = read(data)
    assert [(p.source_id, p.reply_to_id) for p in posts(parsed)] == [
        ("1", "3"),
        ("2", "1"),
        ("6", "8"),
    ]
    assert posts(parsed)[2].text == "@115712 Hi, DM us"


def test_a_quoted_text_over_several_lines_is_one_row() -> None:
    multi = (
        b'104,200101,True,Tue Oct 31 22:20:00 +0000 2017,"@AcmeCare first line\n\nthird line",,102'
    )
    parsed = read(csv(ROWS[0], multi, ROWS[1], b"105,200101,True,yesterday,oops,,"))
    assert [p.source_id for p in posts(parsed)] == ["101", "104", "102"]
    assert posts(parsed)[1].text == "@AcmeCare first line\n\nthird line"
    [rejected] = rejects(parsed)
    # Rows count records; lines count physical lines, the multi-line row took three.
    assert rejected.location == "row 4 (line 7)"


def test_crlf_line_ends_and_a_bom() -> None:
    data = csv(ROWS[0], b'106,AcmeCare,False,Tue Oct 31 22:30:00 +0000 2017,"a\r\nb",,').replace(
        b"\n", b"\r\n"
    )
    parsed = read(b"\xef\xbb\xbf" + data.replace(b"\r\r\n", b"\r\n"))
    assert [p.source_id for p in posts(parsed)] == ["101", "106"]
    assert posts(parsed)[1].text == "a\nb"


def test_a_bare_carriage_return_inside_an_unquoted_text_is_kept() -> None:
    # The Kaggle file holds such a row: csv's reader alone would split it in three.
    row = b"3399,116510,True,Tue Oct 31 18:13:06 +0000 2017,@AskPay \r\rI love this https://t.co/x,3398,"
    [post] = read(csv(row))
    assert isinstance(post, Post)
    assert post.text == "@AskPay \r\rI love this https://t.co/x"


def test_invalid_utf8_costs_only_its_row() -> None:
    bad = b"107,200102,True,Tue Oct 31 22:40:00 +0000 2017,caf\xe9 closed early,,"
    parsed = read(csv(ROWS[0], bad, ROWS[1]))
    assert [p.source_id for p in posts(parsed)] == ["101", "102"]
    [rejected] = rejects(parsed)
    assert rejected.location == "row 2 (line 3)"
    assert rejected.reason.startswith("invalid UTF-8 at byte")
    assert rejected.raw == HEADER + b"\n" + bad
    assert rejected.format == "twcs"


def test_a_nul_in_the_text_rejects_the_row() -> None:
    bad = b"108,200103,True,Tue Oct 31 22:41:00 +0000 2017,null \x00 here,,"
    parsed = read(csv(bad, ROWS[1]))
    [rejected] = rejects(parsed)
    assert (rejected.location, rejected.reason) == (
        "row 1 (line 2)",
        "text contains a NUL character",
    )
    assert [p.source_id for p in posts(parsed)] == ["102"]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (b"109,200104,True,Tue Oct 31 22:42:00 +0000 2017,hi, there,,", "expected 7 columns"),
        (b"110,200104,True,Tue Oct 31 22:42:00 +0000 2017,hi,", "found 6"),
        (
            b"111,200104,True,31/10/2017 22:42,hello,,",
            "created_at '31/10/2017 22:42' is not a date",
        ),
        (b"112,200104,True,Tue Oct 31 25:42:00 +0000 2017,hello,,", "is not a date"),
        (b",200104,True,Tue Oct 31 22:42:00 +0000 2017,hello,,", "tweet_id is empty"),
        (
            b"1e3,200104,True,Tue Oct 31 22:42:00 +0000 2017,hello,,",
            "tweet_id '1e3' is not a tweet id",
        ),
        (b"113, ,True,Tue Oct 31 22:42:00 +0000 2017,hello,,", "author_id is empty"),
        (b"114,200104,maybe,Tue Oct 31 22:42:00 +0000 2017,hello,,", "inbound 'maybe'"),
        (
            b"115,200104,True,Tue Oct 31 22:42:00 +0000 2017,hello,,3.5",
            "in_response_to_tweet_id '3.5'",
        ),
    ],
)
def test_a_bad_row_is_rejected_with_its_reason(row: bytes, reason: str) -> None:
    parsed = read(csv(ROWS[0], row, ROWS[1]))
    assert [p.source_id for p in posts(parsed)] == ["101", "102"]
    [rejected] = rejects(parsed)
    assert reason in rejected.reason
    assert rejected.location == "row 2 (line 3)"


def test_an_unclosed_quote_costs_one_line_and_reading_resynchronises() -> None:
    stray = b'116,200105,True,Tue Oct 31 22:50:00 +0000 2017,"@AcmeCare this quote never closes,,'
    parsed = read(csv(ROWS[0], stray, ROWS[1], ROWS[2]))
    assert [p.source_id for p in posts(parsed)] == ["101", "102", "103"]
    [rejected] = rejects(parsed)
    assert rejected.location == "row 2 (line 3)"
    assert rejected.reason == (
        "the quote opened on line 3 is not closed by the end of file; line 3 alone is no row "
        "either (malformed CSV: a quoted field is not closed); reading goes on at line 4"
    )
    assert rejected.raw == HEADER + b"\n" + stray


@pytest.mark.parametrize(
    ("closing", "why", "accepted"),
    [
        # The quote closes in the middle of a field: no CSV at all; that line alone neither.
        (b'"he said ""no"" and left,,', "do not make one row (malformed CSV", ["102", "101"]),
        # It closes a field properly: one row, but only by swallowing a whole row. Alone, the
        # closing line is a row whose text ends in a quote, as csv reads it.
        (b'he said no and left",,', "make one row only by swallowing rows", ["102", "124", "101"]),
    ],
)
def test_two_stray_quotes_do_not_swallow_the_rows_between(
    closing: bytes, why: str, accepted: list[str]
) -> None:
    opening = b'116,200105,True,Tue Oct 31 22:50:00 +0000 2017,"@AcmeCare this never closes,,'
    closing = b"124,200105,True,Tue Oct 31 22:59:00 +0000 2017," + closing
    parsed = read(csv(opening, ROWS[1], closing, ROWS[0]))
    assert [p.source_id for p in posts(parsed)] == accepted
    first, *others = rejects(parsed)
    assert first.location == "row 1 (line 2)"
    assert first.reason.startswith(f"lines 2-4 {why}")
    assert first.reason.endswith("reading goes on at line 3")
    assert [r.location for r in others] == ([] if "124" in accepted else ["row 3 (line 4)"])


def test_a_quote_inside_an_unquoted_text_is_taken_literally() -> None:
    # One odd quote joins lines until the next odd one; each line is then judged alone.
    inch = b'117,200106,True,Tue Oct 31 22:51:00 +0000 2017,my 5" screen cracked,,'
    inch2 = b'118,200106,True,Tue Oct 31 22:52:00 +0000 2017,the 6" one too,,117'
    parsed = read(csv(inch, ROWS[1], inch2, ROWS[0]))
    assert [p.source_id for p in posts(parsed)] == ["117", "102", "118", "101"]
    assert posts(parsed)[0].text == 'my 5" screen cracked'


def test_a_quote_that_swallows_the_rest_is_cut_at_the_line_cap() -> None:
    stray = b'119,200107,True,Tue Oct 31 22:53:00 +0000 2017,"broken,,'
    good = [
        b"%d,200107,True,Tue Oct 31 22:54:00 +0000 2017,row %d,," % (1000 + i, i)
        for i in range(300)
    ]
    parsed = read(csv(stray, *good))
    assert len(posts(parsed)) == 300
    [rejected] = rejects(parsed)
    assert rejected.location == "row 1 (line 2)"
    assert f"not closed within {MAX_RECORD_LINES} lines" in rejected.reason


def test_an_oversize_row_is_cut_and_the_next_row_reads() -> None:
    huge = b"120,200108,True,Tue Oct 31 22:55:00 +0000 2017," + b"x" * 1_100_000 + b",,"
    parsed = read(csv(huge, ROWS[1]))
    rejected, post = parsed
    assert isinstance(rejected, Rejected)
    assert (rejected.location, rejected.reason) == (
        "row 1 (line 2)",
        "record is over 1000000 bytes (RAPPORT_MAX_RECORD_BYTES)",
    )
    assert len(rejected.raw) == len(HEADER) + 1 + KEEP_OF_OVERSIZE
    assert isinstance(post, Post)
    # A quoted text past the byte limit, over many lines, is cut the same way.
    opened = b'121,200108,True,Tue Oct 31 22:56:00 +0000 2017,"'
    parsed = read(csv(opened + (b"y" * 60_000 + b"\n") * 20 + b'end",,', ROWS[1]))
    assert [p.source_id for p in posts(parsed)] == ["102"]
    assert "1000000 bytes" in rejects(parsed)[0].reason


def test_text_over_the_character_limit_is_rejected() -> None:
    long = b'122,200109,True,Tue Oct 31 22:57:00 +0000 2017,"' + b"z" * 25_001 + b'",,'
    [rejected] = read(csv(long))
    assert isinstance(rejected, Rejected)
    assert rejected.reason.startswith("text is 25001 characters, over the limit")


def test_a_rejected_row_replays_once_fixed() -> None:
    bad = b'123,200110,True,Tue Oct 31 22:58:00 +0000 2017,"multi\nline",,101.0'
    [rejected] = read(csv(bad.replace(b"22:58:00", b"22:61:00")))
    assert isinstance(rejected, Rejected)
    assert rejected.raw == HEADER + b"\n" + bad.replace(b"22:58:00", b"22:61:00")
    [post] = read(rejected.raw.replace(b"22:61:00", b"22:58:00"))
    assert isinstance(post, Post)
    assert (post.source_id, post.text, post.reply_to_id) == ("123", "multi\nline", "101")


def test_a_file_that_is_not_twcs_is_one_reject() -> None:
    [rejected] = read(b"id,user,message\n1,a,hello\n2,b,bye\n")
    assert isinstance(rejected, Rejected)
    assert rejected.location == "line 1"
    assert "lacks tweet_id, author_id, created_at, text" in rejected.reason
    assert read(b"") == []
    assert read(HEADER + b"\n\n") == []


def test_dates_in_other_zones_and_iso_form() -> None:
    assert parse_created_at("Wed Nov 22 09:23:01 -0530 2017") == datetime(
        2017, 11, 22, 9, 23, 1, tzinfo=timezone(-timedelta(hours=5, minutes=30))
    )
    assert parse_created_at("2017-11-22T09:23:01Z") == datetime(2017, 11, 22, 9, 23, 1, tzinfo=UTC)
    assert parse_created_at("Wed Nov 22 09:23:01 +0099 2017") is None
    assert parse_created_at("Wed Nov 22 09:23 +0000 2017") is None
