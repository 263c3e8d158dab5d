"""PostgreSQL: COPY into a session-local staging table, then one set-based INSERT per table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
import sqlalchemy as sa

from rapport.records import Envelope, Post, Rejected
from rapport.store import rows, threads
from rapport.store.backends.base import Backend, Inserted

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
_ADOPT = "UPDATE posts SET conversation_id = %s WHERE network = %s AND conversation_id = %s"


# Analyse after this many posts written by this process, then after each doubling.
_FIRST_ANALYZE = 10_000


class PostgresBackend(Backend):
    dialect = "postgresql"

    def __init__(self) -> None:
        super().__init__()
        self._written = 0
        self._analyze_at = _FIRST_ANALYZE

    def insert_batch(
        self,
        connection: sa.Connection,
        posts: Sequence[Post],
        rejects: Sequence[Rejected],
        analyses: Mapping[tuple[str, str], Envelope],
    ) -> Inserted:
        raw = connection.connection.dbapi_connection
        assert isinstance(raw, psycopg.Connection)
        now = datetime.now(UTC)
        ids: dict[tuple[str, str], int] = {}
        with raw.cursor() as cursor:
            if posts:
                cursor.execute(_STAGING)
                roots = threads.resolve_roots(
                    posts, lambda net, sids: self._roots(cursor, net, sids)
                )
                with cursor.copy(f"COPY incoming_posts ({_POST_COLS}) FROM STDIN") as copy:
                    for post, root in zip(posts, roots, strict=True):
                        copy.write_row(rows.post_row(post, root, now, post.created_at))
                cursor.execute(_MOVE_POSTS)
                ids = {(net, sid): post_id for post_id, net, sid in cursor.fetchall()}
                new = [
                    (p, r)
                    for p, r in zip(posts, roots, strict=True)
                    if (p.network, p.source_id) in ids
                ]
                adoptions = threads.adoptions([p for p, _ in new], [r for _, r in new])
                if adoptions:
                    cursor.executemany(_ADOPT, adoptions)
                with cursor.copy(f"COPY incoming_authors ({_AUTHOR_COLS}) FROM STDIN") as copy:
                    for network, author, seen in self.authors.changed(p for p, _ in new):
                        copy.write_row(rows.author_row(network, author, seen, _same))
                cursor.execute(_MOVE_AUTHORS)
                self._keep_statistics_fresh(cursor, len(ids))
            if analyses and ids:
                with cursor.copy(f"COPY analyses ({_ANALYSIS_COLS}) FROM STDIN") as copy:
                    for row in rows.analysis_rows(ids, analyses):
                        copy.write_row(row)
            if rejects:
                cursor.executemany(
                    _INSERT_QUARANTINE, [rows.quarantine_row(r, now) for r in rejects]
                )
        return Inserted(ids=ids, quarantined=len(rejects))

    def _keep_statistics_fresh(self, cursor: psycopg.Cursor[Any], written: int) -> None:
        """ANALYZE a table that is filling fast, before autovacuum would.

        With the statistics of a near-empty table the planner answers key lookups by
        scanning a whole network's posts; a few ANALYZEs while the table doubles keep it
        on the unique index.
        """
        self._written += written
        if self._written >= self._analyze_at:
            cursor.execute("ANALYZE posts (network, source_id, conversation_id); ANALYZE authors")
            self._analyze_at = self._written * 2

    def _roots(self, cursor: psycopg.Cursor[Any], network: str, ids: list[str]) -> dict[str, str]:
        cursor.execute(
            "SELECT source_id, conversation_id FROM posts "
            "WHERE network = %s AND source_id = ANY(%s)",
            (network, ids),
        )
        return dict(cursor.fetchall())

    def search_clause(self, query: str) -> sa.ColumnElement[bool]:
        tsquery = sa.func.websearch_to_tsquery(
            sa.literal_column("'simple'::regconfig"), sa.cast(query, sa.Text)
        )
        return sa.column("search").bool_op("@@")(tsquery)


def _same(value: datetime) -> datetime:
    return value
