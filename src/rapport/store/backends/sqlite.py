"""SQLite: WAL mode, one writer, executemany on the raw driver; search and the posts of
each author are looked up in a file of their own (`sqlite_lookups`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import orjson
import sqlalchemy as sa
from sqlalchemy import event

from rapport.records import Author, Post, Rejected
from rapport.store import rows, schema
from rapport.store.backends.base import Backend, BatchStatements, Inserted, NewPosts
from rapport.store.backends.sqlite_driver import driver
from rapport.store.backends.sqlite_lookups import SCHEMA, Lookups

# The driver binds a str, int or float directly, but looks every None and bool up in its
# adapter registry first: 0.4-0.5 µs each, four or five per post. The hot inserts bind a
# stand-in instead, which SQL turns back into NULL: the integer 0 for a text column (no
# text equals it) and '' for an integer column; and booleans as 0 or 1.
_NO_TEXT = 0
_NO_NUMBER = ""


def _insert(
    table: str,
    columns: Sequence[str],
    conflict: str,
    *,
    texts: frozenset[str] = frozenset(),
    numbers: frozenset[str] = frozenset(),
) -> str:
    """An INSERT whose nullable `texts` and `numbers` columns take the stand-ins for NULL."""
    values = ", ".join(
        f"nullif(?, {_NO_TEXT})"
        if column in texts
        else f"nullif(?, '{_NO_NUMBER}')"
        if column in numbers
        else "?"
        for column in columns
    )
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values}) {conflict}"


_INSERT_POST = _insert(
    "posts",
    rows.POST_COLUMNS,
    "ON CONFLICT (network, source_id) DO NOTHING",
    texts=frozenset({"reply_to_id", "quote_of_id", "repost_of_id", "lang"}),
    numbers=frozenset({"views"}),
)
_UPSERT_AUTHOR = _insert(
    "authors", rows.AUTHOR_COLUMNS, rows.AUTHOR_CONFLICT, texts=frozenset({"created_at"})
)
_INSERT_QUARANTINE = rows.insert_sql(
    "quarantine", rows.QUARANTINE_COLUMNS, "?", rows.QUARANTINE_CONFLICT
)
_INSERT_ANALYSIS = rows.insert_sql("analyses", rows.ANALYSIS_COLUMNS, "?", rows.ANALYSIS_CONFLICT)
_ADOPT = "UPDATE posts SET conversation_id = ? WHERE network = ? AND conversation_id = ?"
_CACHE_KIB = 64 * 1024
_CHUNK = 500

_TUNING = (
    # The three post indexes and the FTS5 segments of a batch touch pages all over the
    # file; with the default 2 MiB cache they are written back and read again per batch.
    # An upper bound per connection, not an allocation.
    f"PRAGMA cache_size={-_CACHE_KIB}",
    # A checkpoint (and its fsync) every 4 MiB of WAL ran every few batches; every 64 MiB
    # amortises it over many. Readers find pages in the WAL through its hash index, so a
    # longer WAL costs them little; it is reset once a checkpoint has copied it all back.
    "PRAGMA wal_autocheckpoint=16384",
    "PRAGMA temp_store=MEMORY",
)
# Takes effect when the file is created (before the first table), and is ignored after:
# 8 KiB pages cut SQLite's own cost of storing a post by a tenth (15.3 -> 13.5 µs: fewer
# index levels and page writes per commit), and cached reads by id or thread were no
# slower (12.2 -> 11.4 and 10.2 -> 9.9 µs on 200,000 posts).
_PAGE_SIZE = "PRAGMA page_size=8192"


def sqlite_timestamp(value: datetime) -> str:
    """UTC without offset, the format SQLAlchemy's SQLite DateTime reads back."""
    if value.tzinfo is UTC:
        return value.isoformat(" ", "microseconds")[:26]
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


_ENCODE_TIMES = msgspec.json.Encoder().encode
_DECODE_TEXTS = msgspec.json.Decoder(list[str]).decode


def sqlite_timestamps(values: list[datetime]) -> list[str]:
    """`sqlite_timestamp` of each value, formatted by msgspec in C when all are in UTC (as
    normalisation leaves them): a third of the cost of `isoformat` per value."""
    if not all(value.tzinfo is UTC for value in values):
        return [sqlite_timestamp(value) for value in values]
    # RFC 3339 with "Z", and six fractional digits unless there are none.
    return [
        f"{text[:10]} {text[11:26]}" if len(text) == 27 else f"{text[:10]} {text[11:19]}.000000"
        for text in _DECODE_TEXTS(_ENCODE_TIMES(values))
    ]


class SQLiteBackend(Backend):
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.lookups = Lookups(path)

    def configure_engine(self, engine: sa.Engine) -> None:
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: driver.Connection, _record: Any) -> None:
            # Let SQLAlchemy own transaction boundaries instead of the driver's implicit BEGINs.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(_PAGE_SIZE)
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL syncs at each checkpoint, not each commit: a power loss can
            # undo the last commits but never corrupts the file, and a killed process loses
            # nothing it committed. Ingest is idempotent, so running it again restores them.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA foreign_keys=ON")
            for pragma in _TUNING:
                cursor.execute(pragma)
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: sa.Connection) -> None:
            if _writing(connection):
                # Never with the lookups attached: BEGIN IMMEDIATE would take their
                # file's write lock too, and hold off their thread. The pool may hand the
                # writer a connection a reader attached them to.
                if connection.info.pop(SCHEMA, False):
                    connection.exec_driver_sql(f"DETACH DATABASE {SCHEMA}")
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            if not connection.info.get(SCHEMA):
                self.lookups.ensure()
                connection.exec_driver_sql(
                    f"ATTACH DATABASE ? AS {SCHEMA}", (str(self.lookups.path),)
                )
                connection.info[SCHEMA] = True
            connection.exec_driver_sql("BEGIN")

    def committed_posts(self, posts: Sequence[Post], inserted: Inserted) -> None:
        self.lookups.follow()

    def catch_up(self) -> None:
        self.lookups.catch_up()

    def close(self) -> None:
        self.lookups.close()

    @contextmanager
    def open_batch(self, connection: sa.Connection) -> Iterator[BatchStatements]:
        raw = connection.connection.dbapi_connection
        assert isinstance(raw, driver.Connection)
        cursor = raw.cursor()
        try:
            yield _Batch(raw, cursor, sqlite_timestamp(datetime.now(UTC)))
        finally:
            cursor.close()

    def search_clause(self, query: str) -> sa.ColumnElement[bool]:
        match = fts5_query(query)
        self.lookups.catch_up()
        subquery = sa.text(
            f"SELECT rowid FROM {SCHEMA}.posts_fts WHERE posts_fts MATCH :match"
        ).bindparams(match=match)
        return sa.column("id").in_(subquery.columns(sa.column("rowid")))

    def posts_of(self, handles: Sequence[tuple[str, str]]) -> sa.ColumnElement[bool]:
        self.lookups.catch_up()
        filed = sa.table(
            "posts_by_author",
            sa.column("network"),
            sa.column("author_source_id"),
            sa.column("post_id"),
            schema=SCHEMA,
        )
        # One lookup per handle: SQLite answers a row-value IN, or an OR of the pairs, by
        # scanning all of an author's network.
        chosen = [
            sa.select(filed.c.post_id).where(
                filed.c.network == network, filed.c.author_source_id == author
            )
            for network, author in handles
        ]
        if not chosen:
            return sa.false()
        return schema.posts.c.id.in_(sa.union_all(*chosen))


class _Batch(BatchStatements):
    """executemany on the raw driver, with stand-ins for NULL (`_insert`)."""

    def __init__(self, raw: driver.Connection, cursor: driver.Cursor, now: str) -> None:
        self.raw = raw
        self.cursor = cursor
        self.now = now

    def stored_roots(self, network: str, source_ids: list[str]) -> dict[str, str]:
        return dict(self._in_chunks("source_id, conversation_id", "source_id", network, source_ids))

    def write_posts(self, posts: Sequence[Post], roots: Sequence[str]) -> NewPosts:
        cursor = self.cursor
        (max_before,) = cursor.execute("SELECT coalesce(max(id), 0) FROM posts").fetchone()
        changes_before = self.raw.total_changes
        cursor.executemany(_INSERT_POST, _post_rows(posts, roots, self.now))
        if self.raw.total_changes - changes_before == len(posts):
            # All new: SQLite gave them the ids after the old maximum, in order.
            return NewPosts(
                {
                    (post.network, post.source_id): post_id
                    for post_id, post in enumerate(posts, max_before + 1)
                },
                first_id=max_before + 1,
            )
        # The one writer makes every id above the old maximum one of this batch's new posts.
        return NewPosts(
            {
                (network, source_id): post_id
                for post_id, network, source_id in cursor.execute(
                    "SELECT id, network, source_id FROM posts WHERE id > ?", (max_before,)
                )
            }
        )

    def adopt(self, moves: list[tuple[str, str, str]]) -> None:
        # Most new replies were nobody's root: find the few that were in one query per 500,
        # rather than an UPDATE each that finds nothing.
        taken = self._taken_roots(moves)
        self.cursor.executemany(_ADOPT, [m for m in moves if (m[1], m[2]) in taken])

    def upsert_authors(self, authors: list[tuple[str, Author, datetime]]) -> None:
        self.cursor.executemany(
            _UPSERT_AUTHOR,
            [
                rows.author_row(network, author, seen, sqlite_timestamp, absent=_NO_TEXT, flag=int)
                for network, author, seen in authors
            ],
        )

    def write_analyses(self, analyses: list[tuple[Any, ...]]) -> None:
        self.cursor.executemany(_INSERT_ANALYSIS, analyses)

    def write_rejects(self, rejects: Sequence[Rejected]) -> None:
        self.cursor.executemany(
            _INSERT_QUARANTINE, [rows.quarantine_row(r, self.now) for r in rejects]
        )

    def _taken_roots(self, moves: list[tuple[str, str, str]]) -> set[tuple[str, str]]:
        """(network, root) of the moves' old roots that some stored post has."""
        by_network: dict[str, list[str]] = {}
        for _, network, old in moves:
            by_network.setdefault(network, []).append(old)
        return {
            (network, root)
            for network, olds in by_network.items()
            for (root,) in self._in_chunks(
                "DISTINCT conversation_id", "conversation_id", network, olds
            )
        }

    def _in_chunks(
        self, selected: str, column: str, network: str, values: list[str]
    ) -> Iterator[tuple[Any, ...]]:
        """`selected` from the posts of `network` whose `column` is one of `values`, asked
        in chunks that stay under SQLite's limit on parameters."""
        for chunk in rows.chunked(values, _CHUNK):
            sql = (
                f"SELECT {selected} FROM posts WHERE network = ? AND "
                f"{column} IN ({', '.join('?' * len(chunk))})"
            )
            yield from self.cursor.execute(sql, (network, *chunk)).fetchall()


def _post_rows(posts: Sequence[Post], roots: Sequence[str], now: str) -> Iterator[tuple[Any, ...]]:
    """`rows.post_row` with SQLite's timestamps, unrolled: it runs once per stored post, and
    the driver reads the rows as they are made instead of from a list of the whole batch."""
    dumps = orjson.dumps
    stamps = sqlite_timestamps([p.created_at for p in posts])
    for p, root, created in zip(posts, roots, stamps, strict=True):
        m = p.metrics
        a = p.author
        yield (
            p.network,
            p.source_id,
            a.source_id,
            a.handle,
            p.text,
            created,
            now,
            root,
            _NO_TEXT if p.reply_to_id is None else p.reply_to_id,
            _NO_TEXT if p.quote_of_id is None else p.quote_of_id,
            _NO_TEXT if p.repost_of_id is None else p.repost_of_id,
            _NO_TEXT if p.lang is None else p.lang,
            dumps(p.links).decode() if p.links else "[]",
            dumps(p.domains).decode() if p.domains else "[]",
            dumps(p.hashtags).decode() if p.hashtags else "[]",
            dumps(p.mentions).decode() if p.mentions else "[]",
            dumps(p.cashtags).decode() if p.cashtags else "[]",
            1 if p.has_media else 0,
            dumps(p.media_types).decode() if p.media_types else "[]",
            m.likes,
            m.reposts,
            m.replies,
            m.quotes,
            _NO_NUMBER if m.views is None else m.views,
        )


def _writing(connection: sa.Connection) -> bool:
    return bool(connection.info.get("writer"))


_TERM = re.compile(r'(-?)"([^"]*)"|(\S+)')


def fts5_query(query: str) -> str:
    """A user's search ("exact phrase", -word, OR) as an FTS5 expression that cannot be malformed.

    Every term is quoted, so punctuation, `*` or keywords in hostile input are searched as text.
    """
    parts: list[str] = []
    for match in _TERM.finditer(query):
        negate, phrase, word = match.group(1), match.group(2), match.group(3)
        if word == "OR" and parts and parts[-1] != "OR":
            parts.append("OR")
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negate, word = "-", word[1:]
        text = phrase if phrase is not None else word
        text = text.replace('"', '""').strip()
        if not text:
            continue
        term = f'"{text}"'
        if negate and parts:
            if parts[-1] == "OR":
                parts.pop()
            parts.append(f"NOT {term}")
        elif not negate:
            parts.append(term)
    while parts and parts[-1] == "OR":
        parts.pop()
    return " ".join(parts) if parts else '""'
