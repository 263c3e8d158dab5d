"""What every reader shares: limits, record validation, line reading in bounded memory, batching."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, BinaryIO, ClassVar

import msgspec

from rapport.records import Batch, Envelope, Post, Rejected
from rapport.settings import Settings

Parsed = Post | Rejected
# How much of an oversize record is kept in quarantine: enough to see what it was.
KEEP_OF_OVERSIZE = 64 * 1024
# The times a post or an account may carry. Outside them no network ever wrote, and near
# the ends of `datetime` moving a time to UTC or adding an SLA's hours overflows.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
# Errors a decoder raises for input it cannot read. RecursionError: msgspec's answer to
# nesting deeper than the interpreter's recursion limit.
DECODE_ERRORS = (msgspec.DecodeError, UnicodeDecodeError, RecursionError)


@dataclass(frozen=True)
class Limits:
    max_text_chars: int
    max_record_bytes: int
    networks: frozenset[str]

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(settings.max_text_chars, settings.max_record_bytes, settings.networks)


class Reader(ABC):
    """Reads one input format from a byte stream, yielding a Post or a Rejected per record."""

    format: ClassVar[str]

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    @abstractmethod
    def read(self, stream: BinaryIO, source: str) -> Iterator[Parsed]:
        """Every record of `stream`, in order; never raises for a bad record."""

    def reject(self, source: str, location: str, reason: str, raw: bytes) -> Rejected:
        return Rejected(
            source=source, location=location, format=self.format, reason=reason, raw=raw
        )


def problem_with(post: Post, limits: Limits, *, nul: bool = True) -> str | None:
    """Why `post` cannot be accepted, or None. Type errors and the bounds of numbers and
    lengths were caught by decoding already.

    `nul=False` (the reader saw no way for a NUL into the record, `json_may_hold_nul`)
    skips the search for one in every field.
    """
    if post.network not in limits.networks:
        known = ", ".join(sorted(limits.networks))
        return (
            f"unknown network {post.network!r}; use one of: {known} (or add it to RAPPORT_NETWORKS)"
        )
    if not post.source_id.strip():
        return "source_id is empty"
    if not post.author.source_id.strip():
        return "author.source_id is empty"
    if not post.author.handle.strip():
        return "author.handle is empty"
    if len(post.text) > limits.max_text_chars:
        return (
            f"text is {len(post.text)} characters, over the limit of {limits.max_text_chars} "
            "(RAPPORT_MAX_TEXT_CHARS)"
        )
    if not in_time(post.created_at):
        return _out_of_time("created_at", post.created_at)
    joined = post.author.created_at
    if joined is not None and not in_time(joined):
        return _out_of_time("author.created_at", joined)
    if nul:
        where = _nul_in(post)
        if where is not None:
            # PostgreSQL's text cannot hold one.
            return f"{where} contains a NUL character"
    for index, link in enumerate(post.links):
        if not link.lower().startswith(("http://", "https://")):
            return f"links[{index}] {link[:80]!r} is not an http(s) URL"
    return None


def in_time(at: datetime) -> bool:
    try:
        return EARLIEST <= at < LATEST
    except TypeError:  # a time without a zone is UTC, as normalise reads it
        return EARLIEST <= at.replace(tzinfo=UTC) < LATEST


def _out_of_time(name: str, at: datetime) -> str:
    return f"{name} {at.isoformat()} is outside {EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}"


def json_may_hold_nul(raw: bytes) -> bool:
    """Whether decoding `raw` can give a string with a NUL: only through the escape, as
    JSON forbids the raw byte. The backslash first: one memchr rules out most records."""
    return b"\\" in raw and b"\\u0000" in raw


def _nul_in(post: Post) -> str | None:
    """The name of the first of `post`'s strings that holds a NUL, or None."""
    author = post.author
    for name, value in (
        ("text", post.text),
        ("network", post.network),
        ("source_id", post.source_id),
        ("author.source_id", author.source_id),
        ("author.handle", author.handle),
        ("author.display_name", author.display_name),
        ("conversation_id", post.conversation_id),
        ("reply_to_id", post.reply_to_id),
        ("quote_of_id", post.quote_of_id),
        ("repost_of_id", post.repost_of_id),
        ("lang", post.lang),
    ):
        if value is not None and "\x00" in value:
            return name
    for name, values in (
        ("links", post.links),
        ("domains", post.domains),
        ("hashtags", post.hashtags),
        ("mentions", post.mentions),
        ("cashtags", post.cashtags),
        ("media_types", post.media_types),
    ):
        for index, value in enumerate(values):
            if "\x00" in value:
                return f"{name}[{index}]"
    return None


def describe_decode_error(error: Exception, raw: bytes | None = None) -> str:
    """The reason for quarantine; with `raw`, a value out of bounds is quoted."""
    if isinstance(error, UnicodeDecodeError):
        return f"invalid UTF-8 at byte {error.start}"
    if isinstance(error, RecursionError):
        return "JSON nested too deep: no post is nested more than a few levels"
    if isinstance(error, msgspec.ValidationError):
        return f"wrong type or missing field: {error}{value_past_bound(error, raw)}"
    text = str(error)
    if "truncated" in text:
        return "truncated JSON: the record ends before it is complete"
    return f"malformed JSON: {text}"


def lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, line without its newline, too long) for every line, in bounded memory.

    A line longer than `max_bytes` is returned cut to KEEP_OF_OVERSIZE bytes with `too long`
    set, and the rest of it is skipped without being held.
    """
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            head = line[:KEEP_OF_OVERSIZE]
            while True:
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, head, True
            continue
        yield number, line.rstrip(b"\r\n"), False


def batched(items: Iterable[Parsed], size: int, source: str) -> Iterator[Batch]:
    """Group parsed records into batches of at most `size` records."""
    posts: list[Envelope] = []
    rejects: list[Rejected] = []
    sequence = 0
    for item in items:
        if isinstance(item, Post):
            posts.append(Envelope(post=item))
        else:
            rejects.append(item)
        if len(posts) + len(rejects) >= size:
            yield Batch(
                source=source, items=tuple(posts), rejects=tuple(rejects), sequence=sequence
            )
            sequence += 1
            posts, rejects = [], []
    if posts or rejects:
        yield Batch(source=source, items=tuple(posts), rejects=tuple(rejects), sequence=sequence)


_PATH = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")
_loose = msgspec.json.Decoder()


def value_past_bound(error: msgspec.ValidationError, raw: bytes | None) -> str:
    """The words "; got <value>" for the value at the path `error` names in `raw`, or "".

    Only on the way to quarantine: decoding the record again without types costs nothing
    on the hot path.
    """
    text = str(error)
    found = _PATH.search(text)
    # Only a bound ("Expected `int` <= ...") leaves the value out of msgspec's message.
    if raw is None or found is None or not ("<=" in text or ">=" in text):
        return ""
    try:
        value: Any = _loose.decode(raw)
    except DECODE_ERRORS:
        return ""
    for key, index in _STEP.findall(found["path"]):
        if key and isinstance(value, dict) and key in value:
            value = value[key]
        elif index and isinstance(value, list) and int(index) < len(value):
            value = value[int(index)]
        else:
            return ""
    if isinstance(value, (dict, list)):
        return ""
    shown = repr(value)
    return f"; got {shown[:80]}{'...' if len(shown) > 80 else ''}"
