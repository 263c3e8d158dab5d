"""The input formats by name, and a guess of a file's format from its name and first line."""

from __future__ import annotations

from pathlib import Path

import orjson

from rapport.errors import InputError
from rapport.ingest.base import Limits, Reader
from rapport.ingest.http import HttpReader
from rapport.ingest.jsonl import JsonlReader
from rapport.ingest.twcs import TwcsReader
from rapport.ingest.x_v2 import XV2Reader

READERS: dict[str, type[Reader]] = {
    JsonlReader.format: JsonlReader,
    XV2Reader.format: XV2Reader,
    TwcsReader.format: TwcsReader,
    HttpReader.format: HttpReader,
}
FORMAT_NAMES = ("auto", JsonlReader.format, XV2Reader.format, TwcsReader.format)


def reader_for(format_name: str, limits: Limits) -> Reader:
    try:
        return READERS[format_name](limits)
    except KeyError:
        raise InputError(
            f"unknown format {format_name!r}; use one of: {', '.join(FORMAT_NAMES)}"
        ) from None


def guess_format(path: Path) -> str:
    """twcs for .csv; x-v2 when the first object has `data` or `includes`; else rapport-jsonl."""
    if path.suffix.lower() == ".csv":
        return TwcsReader.format
    with path.open("rb") as stream:
        head = stream.readline(1 << 20).strip()
    if head.startswith(b"{"):
        try:
            first = orjson.loads(head)
        except orjson.JSONDecodeError:
            # A pretty-printed document starts with a lone "{": only X responses come that way.
            return XV2Reader.format if head == b"{" else JsonlReader.format
        if isinstance(first, dict) and ("data" in first or "includes" in first):
            return XV2Reader.format
    return JsonlReader.format
