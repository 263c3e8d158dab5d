"""The body of `POST /api/v1/posts`: a JSON array of posts, {"posts": [...]}, or one post.

One bad item is quarantined with its index and the rest are accepted; a body that is not
JSON at all is quarantined whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import msgspec

from rapport.ingest.base import (
    KEEP_OF_OVERSIZE,
    Limits,
    Parsed,
    Reader,
    describe_decode_error,
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
    decoded: list[msgspec.Raw]
    try:
        if body.lstrip().startswith(b"{"):
            try:
                decoded = _wrapped.decode(body).posts
            except msgspec.ValidationError:
                decoded = [msgspec.Raw(body)]
        else:
            decoded = _array.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError) as error:
        return [rejected_body(request_id, describe_decode_error(error), body)]
    parsed: list[Parsed] = []
    for index, raw in enumerate(decoded):
        item = bytes(raw)
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
        except (msgspec.DecodeError, UnicodeDecodeError) as error:
            parsed.append(
                Rejected(
                    source=source,
                    location=where,
                    format=FORMAT,
                    reason=describe_decode_error(error),
                    raw=item,
                )
            )
            continue
        problem = problem_with(post, limits)
        if problem is None:
            parsed.append(post)
        else:
            parsed.append(
                Rejected(source=source, location=where, format=FORMAT, reason=problem, raw=item)
            )
    return parsed
