"""Which author descriptions need writing: skip the ones the writer already stored, near enough.

Prolific authors post many times a day, and every post repeats their profile with counters
a little higher (X's tweet_count grows by one per post). Rewriting the row per post costs
the writer more than the post itself, so a description is written when its identity
(handle, display name, verified, account date) changes or a counter moves by more than 1%
(at least 10); in between, stored counters may lag by that much. The cache lives beside the
one writer, so it sees every write; `forget` empties it when a transaction fails.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from operator import attrgetter

from rapport.records import Author, Post

Key = tuple[str, str]
_MAX_ENTRIES = 500_000
_created_at = attrgetter("created_at")


class AuthorCache:
    def __init__(self) -> None:
        self._written: dict[Key, tuple[Author, datetime]] = {}

    def changed(self, posts: Iterable[Post]) -> list[tuple[str, Author, datetime]]:
        """(network, author, seen at) to write: per author the newest description, if it is news."""
        # The last post of each author once sorted by time: a batch is mostly in time order
        # already, which the sort only checks, and the sort is stable, so of two posts at
        # the same time the later one in the batch wins.
        newest = {(p.network, p.author.source_id): p for p in sorted(posts, key=_created_at)}
        if len(self._written) > _MAX_ENTRIES:
            self._written.clear()
        out = []
        written = self._written
        for key, post in newest.items():
            author, seen_at = post.author, post.created_at
            known = written.get(key)
            if known is not None:
                stored, stored_at = known
                # The stored description (compared in C first), older than it, or nearly it
                # (inline, since it is most authors of every batch): nothing to write.
                if (
                    stored == author
                    or stored_at > seen_at
                    or (
                        stored.handle == author.handle
                        and stored.display_name == author.display_name
                        and stored.verified == author.verified
                        and stored.created_at == author.created_at
                        and abs(stored.followers - author.followers)
                        <= max(10, stored.followers // 100)
                        and abs(stored.following - author.following)
                        <= max(10, stored.following // 100)
                        and abs(stored.post_count - author.post_count)
                        <= max(10, stored.post_count // 100)
                    )
                ):
                    if seen_at > stored_at:
                        written[key] = (stored, seen_at)
                    continue
            written[key] = (author, seen_at)
            out.append((post.network, author, seen_at))
        return out

    def forget(self) -> None:
        self._written.clear()
