"""Replay quarantined records, as they were or as a user fixed them."""

from __future__ import annotations

import io
from dataclasses import dataclass

from rapport.ingest.base import Limits
from rapport.ingest.formats import reader_for
from rapport.pipeline.runner import Runner
from rapport.records import Batch, Envelope, Post, Rejected
from rapport.store import Database
from rapport.store import quarantine as quarantine_store


@dataclass(frozen=True)
class ReplayOutcome:
    entry_id: int
    accepted: bool
    stored: int
    duplicates: int
    reason: str


def replay_entry(
    database: Database,
    runner: Runner,
    limits: Limits,
    entry_id: int,
    fixed: bytes | None = None,
) -> ReplayOutcome:
    """Parse the entry's raw record (or `fixed`) again; store it if it is good now.

    The entry is marked replayed only after its posts are stored, so a crash in between
    leaves it open, and the next replay finds the posts already stored (duplicates).
    """
    entry = quarantine_store.get_entry(database, entry_id)
    raw = entry.raw if fixed is None else fixed
    reader = reader_for(entry.format, limits)
    parsed = list(reader.read(io.BytesIO(raw), entry.source))
    rejects = [p for p in parsed if isinstance(p, Rejected)]
    posts = [p for p in parsed if isinstance(p, Post)]
    if rejects or not posts:
        reason = rejects[0].reason if rejects else "the record holds no post"
        quarantine_store.update_reason(database, entry_id, reason)
        return ReplayOutcome(entry_id, False, 0, 0, reason)
    batch = runner.process(Batch(source=entry.source, items=tuple(Envelope(post=p) for p in posts)))
    duplicates = sum(1 for e in batch.items if e.duplicate)
    quarantine_store.mark_replayed(database, entry_id)
    return ReplayOutcome(entry_id, True, len(batch.items) - duplicates, duplicates, "")
