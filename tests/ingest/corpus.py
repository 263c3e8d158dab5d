"""A malformed-input corpus for Rapport JSONL, written by the project: each case and its reason."""

from __future__ import annotations

from typing import Any

import orjson


def good(sid: str, **fields: Any) -> dict[str, Any]:
    post: dict[str, Any] = {
        "network": "x",
        "source_id": sid,
        "author": {"source_id": "u" + sid, "handle": "user" + sid, "followers": 12},
        "text": f"post number {sid} about my #card",
        "created_at": "2026-11-02T08:00:00Z",
    }
    post.update(fields)
    return post


def line(post: dict[str, Any]) -> bytes:
    return orjson.dumps(post)


# (name, raw line, a phrase the quarantine reason must contain)
MALFORMED: list[tuple[str, bytes, str]] = [
    ("truncated json", line(good("t1"))[:40], "truncated"),
    ("not json", b"this is not json at all", "malformed JSON"),
    ("wrong type", line(good("t2", source_id=12345)), "$.source_id"),
    (
        "wrong nested type",
        line(good("t3", author={"source_id": "a", "handle": "h", "followers": "many"})),
        "$.author.followers",
    ),
    ("missing field", orjson.dumps({k: v for k, v in good("t4").items() if k != "text"}), "text"),
    (
        "invalid utf-8",
        line(good("t5")).replace(b"post number", b"post \xff\xfe number"),
        "invalid UTF-8",
    ),
    (
        "raw NUL byte",
        line(good("t6")).replace(b"post number", b"post \x00 number"),
        "malformed JSON",
    ),
    ("escaped NUL", line(good("t7", text="null \u0000 inside")), "NUL"),
    ("oversize text", line(good("t8", text="x" * 30_001)), "over the limit"),
    ("unknown network", line(good("t9", network="myspace")), "unknown network 'myspace'"),
    ("javascript link", line(good("t10", links=["javascript:alert(1)"])), "not an http(s) URL"),
    ("empty source id", line(good("t11", source_id=" ")), "source_id is empty"),
    ("bad timestamp", line(good("t12", created_at="yesterday")), "created_at"),
    ("array not object", b"[1, 2, 3]", "Expected `object`"),
]

OVERSIZE_RECORD = line(good("big", text="y" * 20_000)) + b" " * 2_000_000
