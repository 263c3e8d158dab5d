"""What every reader shares: limits, record validation, line reading in bounded memory, batching."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

import msgspec

from rapport.records import Batch, Envelope, Post, Rejected
from rapport.settings import Settings

Parsed = Post | Rejected
# How much of an oversize record is kept in quarantine: enough to see what it was.
KEEP_OF_OVERSIZE = 64 * 1024


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


def problem_with(post: Post, limits: Limits) -> str | None:
    """Why `post` cannot be accepted, or None. Type errors were caught by decoding already."""
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
    for name, value in (
        ("text", post.text),
        ("author.handle", post.author.handle),
        ("author.display_name", post.author.display_name),
        ("source_id", post.source_id),
    ):
        if "\x00" in value:
            return f"{name} contains a NUL character"
    for index, link in enumerate(post.links):
        if not link.lower().startswith(("http://", "https://")):
            return f"links[{index}] {link[:80]!r} is not an http(s) URL"
    return None


def describe_decode_error(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return f"invalid UTF-8 at byte {error.start}"
    if isinstance(error, msgspec.ValidationError):
        return f"wrong type or missing field: {error}"
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
