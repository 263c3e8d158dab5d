"""Rapport JSONL: good records pass, each kind of bad record is quarantined with its reason."""

from __future__ import annotations

import io

import pytest

from rapport.ingest.base import Limits
from rapport.ingest.jsonl import JsonlReader
from rapport.records import Post, Rejected
from tests.ingest.corpus import MALFORMED, OVERSIZE_RECORD, good, line

LIMITS = Limits(
    max_text_chars=30_000, max_record_bytes=1_000_000, networks=frozenset({"x", "reddit"})
)


def read(data: bytes) -> list[Post | Rejected]:
    return list(JsonlReader(LIMITS).read(io.BytesIO(data), "input.jsonl"))


@pytest.mark.parametrize(("name", "raw", "reason"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_each_malformed_record_is_rejected_with_its_reason_and_the_rest_flows(
    name: str, raw: bytes, reason: str
) -> None:
    data = line(good("1")) + b"\n" + raw + b"\n" + line(good("2")) + b"\n"
    parsed = read(data)

    assert [p.source_id for p in parsed if isinstance(p, Post)] == ["1", "2"]
    [rejected] = [p for p in parsed if isinstance(p, Rejected)]
    assert reason in rejected.reason
    assert rejected.location == "line 2"
    assert rejected.raw == raw
    assert rejected.format == "rapport-jsonl"


def test_an_oversize_record_is_cut_and_skipped_in_bounded_memory() -> None:
    parsed = read(OVERSIZE_RECORD + b"\n" + line(good("after")) + b"\n")
    rejected, after = parsed
    assert isinstance(rejected, Rejected)
    assert "over 1000000 bytes" in rejected.reason
    assert len(rejected.raw) <= 64 * 1024
    assert isinstance(after, Post)
    assert after.source_id == "after"


def test_blank_lines_and_windows_line_endings_are_fine() -> None:
    parsed = read(line(good("1")) + b"\r\n\r\n   \n" + line(good("2")))
    assert [p.source_id for p in parsed if isinstance(p, Post)] == ["1", "2"]
    assert not [p for p in parsed if isinstance(p, Rejected)]


def test_a_full_record_keeps_every_field() -> None:
    data = good(
        "9",
        conversation_id="1",
        reply_to_id="8",
        lang="es",
        links=["https://elpais.com/a"],
        has_media=True,
        media_types=["photo"],
        metrics={"likes": 3, "reposts": 1, "views": 90},
    )
    data["author"].update({"display_name": "Ana 🌻", "verified": True, "following": 5})
    [post] = read(line(data))
    assert isinstance(post, Post)
    assert (post.conversation_id, post.reply_to_id, post.lang) == ("1", "8", "es")
    assert post.links == ("https://elpais.com/a",)
    assert post.metrics.likes == 3
    assert post.metrics.views == 90
    assert post.author.display_name == "Ana 🌻"
    assert post.author.verified
