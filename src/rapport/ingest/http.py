"""The body of `POST /api/v1/posts`: a JSON array of posts, {"posts": [...]}, or one post.

One bad item is quarantined with its index and the rest are accepted; a body that is not
JSON at all is quarantined whole. An item that breaks JSON itself (a raw NUL byte, a lone
surrogate escape, nesting past the decoder's depth) costs only itself as long as the
array around it can still be told apart (`split_items`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

import msgspec

from rapport.ingest.base import (
    DECODE_ERRORS,
    KEEP_OF_OVERSIZE,
    Limits,
    Parsed,
    Reader,
    describe_decode_error,
    json_may_hold_nul,
    problem_with,
)
from rapport.records import Post, Rejected

FORMAT = "http-json"


class _Wrapped(msgspec.Struct, forbid_unknown_fields=True):
    posts: list[msgspec.Raw]


_array = msgspec.json.Decoder(list[msgspec.Raw])
_wrapped = msgspec.json.Decoder(_Wrapped)
_post = msgspec.json.Decoder(Post)


class HttpReader(Reader):
    """Reads a stored request body again, for quarantine replay."""

    format = FORMAT

    def read(self, stream: BinaryIO, source: str) -> Iterator[Parsed]:
        yield from parse_body(stream.read(), source.removeprefix("request "), self.limits)


def rejected_body(request_id: str, reason: str, body: bytes) -> Rejected:
    return Rejected(
        source=f"request {request_id}",
        location="body",
        format=FORMAT,
        reason=reason,
        raw=body[:KEEP_OF_OVERSIZE],
    )


def parse_body(body: bytes, request_id: str, limits: Limits) -> list[Parsed]:
    source = f"request {request_id}"
    decoded: list[bytes]
    try:
        if body.lstrip().startswith(b"{"):
            try:
                decoded = [bytes(raw) for raw in _wrapped.decode(body).posts]
            except msgspec.ValidationError:
                decoded = [body]
        else:
            decoded = [bytes(raw) for raw in _array.decode(body)]
    except DECODE_ERRORS as error:
        items = split_items(body)
        if items is None:
            return [rejected_body(request_id, describe_decode_error(error), body)]
        decoded = items
    parsed: list[Parsed] = []
    for index, item in enumerate(decoded):
        where = f"item {index}"
        if len(item) > limits.max_record_bytes:
            parsed.append(
                Rejected(
                    source=source,
                    location=where,
                    format=FORMAT,
                    reason=f"record is over {limits.max_record_bytes} bytes",
                    raw=item[:KEEP_OF_OVERSIZE],
                )
            )
            continue
        try:
            post = _post.decode(item)
        except DECODE_ERRORS as error:
            parsed.append(
                Rejected(
                    source=source,
                    location=where,
                    format=FORMAT,
                    reason=describe_decode_error(error, item),
                    raw=item,
                )
            )
            continue
        problem = problem_with(post, limits, nul=json_may_hold_nul(item))
        if problem is None:
            parsed.append(post)
        else:
            parsed.append(
                Rejected(source=source, location=where, format=FORMAT, reason=problem, raw=item)
            )
    return parsed


# A string (which may hold anything, even bytes JSON forbids), a lone quote that opens a
# string never closed, or a character that shapes the document.
_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|"|[\[\]{},]', re.DOTALL)
_WRAPPED_START = re.compile(rb'\s*\{\s*"posts"\s*:\s*(?=\[)')
_WRAPPED_END = re.compile(rb"\s*\}\s*")
_OPEN, _CLOSE, _COMMA, _QUOTE = frozenset(b"[{"), frozenset(b"]}"), ord(","), ord('"')


def split_items(body: bytes) -> list[bytes] | None:
    """The items of a body's array (bare or as `{"posts": [...]}`) as bytes, when the body
    does not decode as a whole but its items can still be told apart; else None.

    Only strings and brackets are followed, counting depth without recursion, so an item
    nested 10,000 levels deep or holding bytes JSON forbids is cut out whole for its own
    reject. Taken only after the fast decoder failed.
    """
    wrapped = _WRAPPED_START.match(body)
    start = wrapped.end() if wrapped else len(body) - len(body.lstrip())
    if body[start : start + 1] != b"[":
        return None
    items: list[bytes] = []
    depth = 0
    begin = start + 1
    for token in _TOKEN.finditer(body, start):
        first = body[token.start()]
        if first == _QUOTE:
            if token.end() - token.start() == 1:
                return None  # a string runs to the end of the body
        elif first in _OPEN:
            depth += 1
        elif first in _CLOSE:
            depth -= 1
            if depth == 0:
                last = body[begin : token.start()].strip()
                if last or items:
                    items.append(last)
                rest = body[token.end() :]
                closed = _WRAPPED_END.fullmatch(rest) if wrapped else not rest.strip()
                return items if closed else None
        elif first == _COMMA and depth == 1:
            items.append(body[begin : token.start()].strip())
            begin = token.end()
    return None
