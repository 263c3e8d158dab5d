"""What a storage backend must do; `Database` picks the implementation from the URL."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from rapport.records import Envelope, Post, Rejected
from rapport.store import schema
from rapport.store.authors import AuthorCache


@dataclass(frozen=True)
class Inserted:
    """Which posts of a batch were new, with their ids; the rest were already stored."""

    ids: dict[tuple[str, str], int]
    quarantined: int
    # Set when every post of the batch was new and their ids run from it, in the batch's
    # order (SQLite knows this without reading the ids back).
    first_id: int | None = None


class Backend(ABC):
    dialect: str

    def __init__(self) -> None:
        self.authors = AuthorCache()

    def configure_engine(self, engine: sa.Engine) -> None:  # noqa: B027 - optional hook
        """Per-connection settings (pragmas, search paths)."""

    @abstractmethod
    def insert_batch(
        self,
        connection: sa.Connection,
        posts: Sequence[Post],
        rejects: Sequence[Rejected],
        analyses: Mapping[tuple[str, str], Envelope],
    ) -> Inserted:
        """Store posts not stored yet with their analyses, upsert their authors, quarantine
        rejects; one transaction."""

    @abstractmethod
    def search_clause(self, query: str) -> sa.ColumnElement[bool]:
        """A WHERE clause on `posts` matching a full-text query."""

    def posts_of(self, handles: Sequence[tuple[str, str]]) -> sa.ColumnElement[bool]:
        """A WHERE clause on `posts` choosing what these (network, author id) handles wrote."""
        posts = schema.posts
        return sa.tuple_(posts.c.network, posts.c.author_source_id).in_(list(handles))

    def committed_posts(  # noqa: B027 - optional hook
        self, posts: Sequence[Post], inserted: Inserted
    ) -> None:
        """`posts` were committed, the new ones under `inserted.ids` (for indexes kept
        outside the transaction)."""

    def catch_up(self) -> None:  # noqa: B027 - optional hook
        """Bring lookups kept outside the posts' transaction up to every committed post."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Stop what the backend runs beside the database."""

    def defer_durability(self, connection: sa.Connection) -> None:  # noqa: B027 - optional
        """Let this transaction's commit return before it is on disk (see `make_durable`)."""

    def make_durable(self, connection: sa.Connection) -> None:  # noqa: B027 - optional
        """Commit, durably, everything committed before on any connection."""
