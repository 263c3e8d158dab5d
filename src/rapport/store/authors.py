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

from rapport.records import Author, Post

Key = tuple[str, str]
_MAX_ENTRIES = 500_000


class AuthorCache:
    def __init__(self) -> None:
        self._written: dict[Key, tuple[Author, datetime]] = {}

    def changed(self, posts: Iterable[Post]) -> list[tuple[str, Author, datetime]]:
        """(network, author, seen at) to write: per author the newest description, if it is news."""
        newest: dict[Key, Post] = {}
        for post in posts:
            key = (post.network, post.author.source_id)
            seen = newest.setdefault(key, post)
            if seen is not post and post.created_at >= seen.created_at:
                newest[key] = post
        if len(self._written) > _MAX_ENTRIES:
            self._written.clear()
        out = []
        written = self._written
        for key, post in newest.items():
            author, seen_at = post.author, post.created_at
            known = written.get(key)
            if known is not None and (
                known[0] == author or known[1] > seen_at or _near(known[0], author)
            ):
                # The stored description (compared in C first), older than it, or nearly
                # it: nothing to write.
                if seen_at > known[1]:
                    written[key] = (known[0], seen_at)
                continue
            written[key] = (author, seen_at)
            out.append((post.network, author, seen_at))
        return out

    def forget(self) -> None:
        self._written.clear()


def _near(stored: Author, seen: Author) -> bool:
    return (
        stored.handle == seen.handle
        and stored.display_name == seen.display_name
        and stored.verified == seen.verified
        and stored.created_at == seen.created_at
        and _close(stored.followers, seen.followers)
        and _close(stored.following, seen.following)
        and _close(stored.post_count, seen.post_count)
    )


def _close(stored: int, seen: int) -> bool:
    return abs(stored - seen) <= max(10, stored // 100)
