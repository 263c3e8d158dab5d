"""`rapport enrich`: JSONL posts in, the same posts with every enrichment out; no database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, BinaryIO

import msgspec
import orjson

from rapport.ingest.base import lines
from rapport.pipeline.runner import Runner
from rapport.records import Author, Batch, Envelope, Post

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def post_from_line(data: dict[str, Any]) -> Post:
    """A full Post line, or a minimal one with only `id` and `text`."""
    if "source_id" in data and "author" in data:
        return msgspec.convert(data, Post, strict=False)
    if not isinstance(data.get("text"), str):
        raise ValueError("field 'text' (a string) is required")
    if "id" not in data:
        raise ValueError("field 'id' is required")
    return Post(
        network=str(data.get("network", "x")),
        source_id=str(data["id"]),
        author=Author(source_id="", handle=""),
        text=data["text"],
        created_at=_EPOCH,
        lang=data.get("lang"),
    )


def enrich_lines(
    stream: BinaryIO, runner: Runner, *, batch_size: int = 1000, max_record_bytes: int = 1_000_000
) -> Iterator[tuple[bytes, bool]]:
    """(output line, ok) per non-blank input line, in order."""
    pending: list[tuple[int, dict[str, Any], Post | str]] = []

    def flush() -> Iterator[tuple[bytes, bool]]:
        good = [(i, p) for i, (_, _, p) in enumerate(pending) if isinstance(p, Post)]
        batch = runner.process(
            Batch(source="enrich", items=tuple(Envelope(post=p) for _, p in good))
        )
        done = {i: e for (i, _), e in zip(good, batch.items, strict=True)}
        for index, (number, data, parsed) in enumerate(pending):
            if isinstance(parsed, str):
                yield orjson.dumps({"line": number, "error": parsed}), False
            else:
                yield orjson.dumps({**data, **describe(done[index])}), True
        pending.clear()

    for number, line, too_long in lines(stream, max_record_bytes):
        if too_long:
            pending.append((number, {}, f"line is over {max_record_bytes} bytes"))
        elif line.strip():
            try:
                data = orjson.loads(line)
                if not isinstance(data, dict):
                    raise ValueError("each line must be a JSON object")
                pending.append((number, data, post_from_line(data)))
            except (ValueError, msgspec.ValidationError) as error:
                pending.append((number, {}, f"line {number}: {error}"))
        if len(pending) >= batch_size:
            yield from flush()
    if pending:
        yield from flush()


def describe(envelope: Envelope) -> dict[str, Any]:
    """The enrichment fields `rapport enrich` adds to each line."""
    post = envelope.post
    out: dict[str, Any] = {
        "text_clean": post.text,
        "hashtags": list(post.hashtags),
        "mentions": list(post.mentions),
        "cashtags": list(post.cashtags),
        "links": list(post.links),
        "domains": list(post.domains),
    }
    enrichment = envelope.enrichment
    if enrichment is None:
        return out
    if envelope.priority is not None:
        out["priority"] = msgspec.to_builtins(envelope.priority)
    out["lang"] = enrichment.lang
    out["lang_score"] = enrichment.lang_score
    for name in ("sentiment", "complaint"):
        label = getattr(enrichment, name)
        if label is not None:
            out[name] = {"label": label.label, "score": label.score}
    if enrichment.intent is not None:
        out["intent"] = enrichment.intent.label
        out["intent_score"] = enrichment.intent.score
    if enrichment.team is not None:
        out["team"] = enrichment.team
    if enrichment.urgency is not None:
        out["urgency"] = {
            "level": enrichment.urgency.level,
            "reasons": list(enrichment.urgency.reasons),
        }
    if enrichment.classes:
        out["classes"] = {
            name: {"label": label.label, "score": label.score} for name, label in enrichment.classes
        }
    return out
