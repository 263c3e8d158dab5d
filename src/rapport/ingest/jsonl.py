"""Rapport's own JSONL: one `Post` per line (schema in docs/formats.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import msgspec

from rapport.ingest.base import (
    DECODE_ERRORS,
    Parsed,
    Reader,
    describe_decode_error,
    json_may_hold_nul,
    lines,
    problem_with,
)
from rapport.records import Post


class JsonlReader(Reader):
    format = "rapport-jsonl"

    _decoder = msgspec.json.Decoder(Post)

    def read(self, stream: BinaryIO, source: str) -> Iterator[Parsed]:
        decode = self._decoder.decode
        limits = self.limits
        for number, line, too_long in lines(stream, limits.max_record_bytes):
            if too_long:
                yield self.reject(
                    source,
                    f"line {number}",
                    f"record is over {limits.max_record_bytes} bytes (RAPPORT_MAX_RECORD_BYTES)",
                    line,
                )
                continue
            if not line.strip():
                continue
            try:
                post = decode(line)
            except DECODE_ERRORS as error:
                reason = describe_decode_error(error, line)
                yield self.reject(source, f"line {number}", reason, line)
                continue
            problem = problem_with(post, limits, nul=json_may_hold_nul(line))
            if problem is None:
                yield post
            else:
                yield self.reject(source, f"line {number}", problem, line)
