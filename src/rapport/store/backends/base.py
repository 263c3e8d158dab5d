"""What a storage backend must do; `Database` picks the implementation from the URL.

Storing a batch is one sequence for every database (`Backend.insert_batch`): resolve the
thread roots, write the new posts, move the threads they turn out to root, upsert the
authors whose description is news, then the analyses and the rejects. Each backend
supplies the statements of those steps (`BatchStatements`), with its own way of making
them fast.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa

from rapport.records import Author, Envelope, Post, Rejected
from rapport.store import rows, schema, threads
from rapport.store.authors import AuthorCache
from rapport.store.threads import Key


@dataclass(frozen=True)
class Inserted:
    """Which posts of a batch were new, with their ids; the rest were already stored."""

    ids: dict[Key, int]
    quarantined: int
    # Set when every post of the batch was new and their ids run from it, in the batch's
    # order (SQLite knows this without reading the ids back).
    first_id: int | None = None


class NewPosts(NamedTuple):
    """The posts a batch stored, by (network, source id), and `Inserted.first_id`."""

    ids: dict[Key, int]
    first_id: int | None = None


class BatchStatements(ABC):
    """One backend's statements for the steps of one batch, in its transaction."""

    @abstractmethod
    def stored_roots(self, network: str, source_ids: list[str]) -> Mapping[str, str]:
        """Conversation root by source id, of those stored posts of `network`."""

    @abstractmethod
    def write_posts(self, posts: Sequence[Post], roots: Sequence[str]) -> NewPosts:
        """Insert the posts not stored yet (one per key), under `roots`."""

    @abstractmethod
    def adopt(self, moves: list[tuple[str, str, str]]) -> None:
        """Move stored posts to new roots: (new root, network, old root), all final."""

    @abstractmethod
    def upsert_authors(self, authors: list[tuple[str, Author, datetime]]) -> None:
        """Write (network, author, seen at), unless a newer description is stored."""

    @abstractmethod
    def write_analyses(self, analyses: list[tuple[Any, ...]]) -> None:
        """Insert `rows.analysis_rows`."""

    @abstractmethod
    def write_rejects(self, rejects: Sequence[Rejected]) -> None:
        """Quarantine `rejects`, once per origin."""

    def stored_posts(self, count: int) -> None:  # noqa: B027 - optional hook
        """`count` new posts were written (for upkeep that follows the table's growth)."""


class Backend(ABC):
    dialect: str

    def __init__(self) -> None:
        self.authors = AuthorCache()

    def configure_engine(self, engine: sa.Engine) -> None:  # noqa: B027 - optional hook
        """Per-connection settings (pragmas, search paths)."""

    @abstractmethod
    def open_batch(self, connection: sa.Connection) -> AbstractContextManager[BatchStatements]:
        """This backend's statements for a batch on `connection`, for as long as it lasts."""

    def insert_batch(
        self,
        connection: sa.Connection,
        posts: Sequence[Post],
        rejects: Sequence[Rejected],
        analyses: Mapping[Key, Envelope],
    ) -> Inserted:
        """Store posts not stored yet with their analyses, upsert their authors, quarantine
        rejects; one transaction."""
        new_posts = NewPosts({})
        with self.open_batch(connection) as batch:
            if posts:
                roots = threads.resolve_roots(posts, batch.stored_roots)
                new_posts = batch.write_posts(posts, roots)
                new, new_roots = threads.stored_only(posts, roots, new_posts.ids)
                moves = threads.adoptions(new, new_roots)
                if moves:
                    batch.adopt(moves)
                authors = self.authors.changed(new)
                if authors:
                    batch.upsert_authors(authors)
                batch.stored_posts(len(new_posts.ids))
            if analyses and new_posts.ids:
                batch.write_analyses(rows.analysis_rows(new_posts.ids, analyses))
            if rejects:
                batch.write_rejects(rejects)
        return Inserted(ids=new_posts.ids, quarantined=len(rejects), first_id=new_posts.first_id)

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
