"""Which author descriptions need writing: skip the ones the writer already stored unchanged.

Prolific authors post many times with the same profile; rewriting an identical row per post
costs the writer more than the post itself. The cache lives beside the one writer, so it
sees every write; `forget` empties it when a transaction fails.
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
        newest: dict[Key, tuple[str, Author, datetime]] = {}
        for post in posts:
            key = (post.network, post.author.source_id)
            seen = newest.get(key)
            if seen is None or post.created_at >= seen[2]:
                newest[key] = (post.network, post.author, post.created_at)
        if len(self._written) > _MAX_ENTRIES:
            self._written.clear()
        out = []
        for key, entry in newest.items():
            known = self._written.get(key)
            if known is not None and (known[0] == entry[1] or known[1] > entry[2]):
                # Same description again, or an older one than what is stored: nothing to write.
                if entry[2] > known[1]:
                    self._written[key] = (known[0], entry[2])
                continue
            self._written[key] = (entry[1], entry[2])
            out.append(entry)
        return out

    def forget(self) -> None:
        self._written.clear()
