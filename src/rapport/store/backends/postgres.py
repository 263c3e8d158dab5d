"""PostgreSQL: COPY into a session-local staging table, then one set-based INSERT per table."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
import sqlalchemy as sa

from rapport.records import Author, Post, Rejected
from rapport.store import rows
from rapport.store.backends.base import Backend, BatchStatements, NewPosts

_POST_COLS = ", ".join(rows.POST_COLUMNS)
_AUTHOR_COLS = ", ".join(rows.AUTHOR_COLUMNS)
_ANALYSIS_COLS = ", ".join(rows.ANALYSIS_COLUMNS)
_STAGING = (
    f"CREATE TEMP TABLE IF NOT EXISTS incoming_posts ON COMMIT DELETE ROWS AS "
    f"SELECT {_POST_COLS} FROM posts WITH NO DATA;"
    f"CREATE TEMP TABLE IF NOT EXISTS incoming_authors ON COMMIT DELETE ROWS AS "
    f"SELECT {_AUTHOR_COLS} FROM authors WITH NO DATA"
)
_MOVE_POSTS = (
    f"INSERT INTO posts ({_POST_COLS}) SELECT {_POST_COLS} FROM incoming_posts "
    "ON CONFLICT (network, source_id) DO NOTHING RETURNING id, network, source_id"
)
_MOVE_AUTHORS = (
    f"INSERT INTO authors ({_AUTHOR_COLS}) SELECT {_AUTHOR_COLS} FROM incoming_authors "
    + rows.AUTHOR_CONFLICT
)
_INSERT_QUARANTINE = rows.insert_sql(
    "quarantine", rows.QUARANTINE_COLUMNS, "%s", rows.QUARANTINE_CONFLICT
)
# One statement for a batch's adoptions instead of one UPDATE per reply.
_ADOPT = (
    "UPDATE posts SET conversation_id = moved.root FROM unnest(%s::text[], %s::text[], "
    "%s::text[]) AS moved(root, network, old) "
    "WHERE posts.network = moved.network AND posts.conversation_id = moved.old"
)
# Binary COPY skips formatting every value as text here and parsing it there; it needs the
# exact type of each column, in `rows.POST_COLUMNS` and `rows.AUTHOR_COLUMNS` order.
_POST_TYPES = (
    *("text",) * 5,
    "timestamptz",
    "timestamptz",
    *("text",) * 10,
    "bool",
    "text",
    *("int8",) * 5,
)
_AUTHOR_TYPES = (*("text",) * 4, "int8", "int8", "bool", "int8", "timestamptz", "timestamptz")
_COPY_POSTS = f"COPY incoming_posts ({_POST_COLS}) FROM STDIN (FORMAT BINARY)"
_COPY_NEW_POSTS = f"COPY posts (id, {_POST_COLS}) FROM STDIN (FORMAT BINARY)"
_NEW_POST_TYPES = ("int8", *_POST_TYPES)
_COPY_AUTHORS = f"COPY incoming_authors ({_AUTHOR_COLS}) FROM STDIN (FORMAT BINARY)"


# Analyse after this many posts written by this process, then each time the count grows
# this many times over. The planner scales the statistics' row counts to the table's current
# size, so once a table has some, key lookups stay on the unique index as it grows; every
# ANALYZE reads a 30,000-row sample, which is worth paying a few times, not at each doubling.
_FIRST_ANALYZE = 10_000
_ANALYZE_GROWTH = 4


class PostgresBackend(Backend):
    dialect = "postgresql"

    def __init__(self) -> None:
        super().__init__()
        self._statistics = _Statistics()
        self._sequence: str | None = None  # of posts.id, schema-qualified

    @contextmanager
    def open_batch(self, connection: sa.Connection) -> Iterator[BatchStatements]:
        raw = connection.connection.dbapi_connection
        assert isinstance(raw, psycopg.Connection)
        with raw.cursor() as cursor:
            yield _Batch(cursor, datetime.now(UTC), self._statistics, self._posts_sequence)

    def _posts_sequence(self, cursor: psycopg.Cursor[Any]) -> str | None:
        if self._sequence is None:
            cursor.execute("SELECT pg_get_serial_sequence('posts', 'id')")
            (self._sequence,) = cursor.fetchone() or (None,)
        return self._sequence

    def defer_durability(self, connection: sa.Connection) -> None:
        # The commit's WAL flush is the largest single wait of a batch; the next durable
        # commit flushes it along with its own.
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO off")

    def make_durable(self, connection: sa.Connection) -> None:
        # A transaction that takes an id writes a commit record, and a durable commit waits
        # until the WAL is flushed up to it: every earlier commit is then on disk too.
        connection.exec_driver_sql("SELECT txid_current()")

    def search_clause(self, query: str) -> sa.ColumnElement[bool]:
        tsquery = sa.func.websearch_to_tsquery(
            sa.literal_column("'simple'::regconfig"), sa.cast(query, sa.Text)
        )
        return sa.column("search").bool_op("@@")(tsquery)


class _Batch(BatchStatements):
    """COPY where it can; set-based statements through staging tables where it must."""

    def __init__(
        self,
        cursor: psycopg.Cursor[Any],
        now: datetime,
        statistics: _Statistics,
        posts_sequence: Callable[[psycopg.Cursor[Any]], str | None],
    ) -> None:
        self.cursor = cursor
        self.now = now
        self.statistics = statistics
        self.posts_sequence = posts_sequence

    def stored_roots(self, network: str, source_ids: list[str]) -> dict[str, str]:
        self.cursor.execute(
            "SELECT source_id, conversation_id FROM posts "
            "WHERE network = %s AND source_id = ANY(%s)",
            (network, source_ids),
        )
        return dict(self.cursor.fetchall())

    def write_posts(self, posts: Sequence[Post], roots: Sequence[str]) -> NewPosts:
        cursor, now = self.cursor, self.now
        cursor.execute(_STAGING)
        ids = self._copy_new_posts(posts, roots)
        if ids is None:
            with cursor.copy(_COPY_POSTS) as copy:
                copy.set_types(_POST_TYPES)
                for post, root in zip(posts, roots, strict=True):
                    copy.write_row(rows.post_row(post, root, now, _aware(post.created_at)))
            cursor.execute(_MOVE_POSTS)
            ids = {(net, sid): post_id for post_id, net, sid in cursor.fetchall()}
        return NewPosts(ids)

    def _copy_new_posts(
        self, posts: Sequence[Post], roots: Sequence[str]
    ) -> dict[tuple[str, str], int] | None:
        """COPY the batch straight into `posts` under ids reserved for it, or None when one of
        its posts is stored already (nothing is written then).

        Most batches are wholly new; they skip the staging table and the INSERT that moves
        rows out of it, a seventh of the server's work per post. A replayed batch fails at
        its first stored post, and the staged path sorts it out.
        """
        cursor, now = self.cursor, self.now
        cursor.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            (self.posts_sequence(cursor), len(posts)),
        )
        reserved = [post_id for (post_id,) in cursor.fetchall()]
        cursor.execute("SAVEPOINT new_posts")
        try:
            with cursor.copy(_COPY_NEW_POSTS) as copy:
                copy.set_types(_NEW_POST_TYPES)
                for post_id, post, root in zip(reserved, posts, roots, strict=True):
                    copy.write_row(
                        (post_id, *rows.post_row(post, root, now, _aware(post.created_at)))
                    )
        except psycopg.errors.UniqueViolation:
            cursor.execute("ROLLBACK TO SAVEPOINT new_posts")
            return None
        cursor.execute("RELEASE SAVEPOINT new_posts")
        return {
            (post.network, post.source_id): post_id
            for post_id, post in zip(reserved, posts, strict=True)
        }

    def adopt(self, moves: list[tuple[str, str, str]]) -> None:
        moved_to, networks, moved_from = zip(*moves, strict=True)
        self.cursor.execute(_ADOPT, (list(moved_to), list(networks), list(moved_from)))

    def upsert_authors(self, authors: list[tuple[str, Author, datetime]]) -> None:
        with self.cursor.copy(_COPY_AUTHORS) as copy:
            copy.set_types(_AUTHOR_TYPES)
            for network, author, seen in authors:
                copy.write_row(rows.author_row(network, author, seen, _aware))
        self.cursor.execute(_MOVE_AUTHORS)

    def write_analyses(self, analyses: list[tuple[Any, ...]]) -> None:
        with self.cursor.copy(f"COPY analyses ({_ANALYSIS_COLS}) FROM STDIN") as copy:
            for row in analyses:
                copy.write_row(row)

    def write_rejects(self, rejects: Sequence[Rejected]) -> None:
        self.cursor.executemany(
            _INSERT_QUARANTINE, [rows.quarantine_row(r, self.now) for r in rejects]
        )

    def stored_posts(self, count: int) -> None:
        self.statistics.grew(self.cursor, count)


class _Statistics:
    """ANALYZE a table that is filling fast, before autovacuum would.

    With the statistics of a near-empty table the planner answers key lookups by scanning a
    whole network's posts; a few ANALYZEs while the table doubles keep it on the unique index.
    """

    def __init__(self) -> None:
        self._written = 0
        self._analyze_at = _FIRST_ANALYZE

    def grew(self, cursor: psycopg.Cursor[Any], written: int) -> None:
        self._written += written
        if self._written >= self._analyze_at:
            cursor.execute("ANALYZE posts (network, source_id, conversation_id); ANALYZE authors")
            self._analyze_at = self._written * _ANALYZE_GROWTH


def _aware(value: datetime) -> datetime:
    """Binary COPY refuses a naive time for timestamptz; Rapport's naive times are UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
