"""SQLite's full-text index, in a file of its own beside the database, kept by its own thread.

Tokenising posts for FTS5 cost the one writer about a sixth of its time per post. Kept in a
separate file, the index is written by another connection on another thread, which runs on
the second core: the driver releases the interpreter lock while SQLite tokenises, and
writing one database file does not lock the other.

The writer hands each committed batch's texts over in memory, so the index thread never
reads the database while ingest runs. (An earlier version read new posts back out of it;
its reads made the writer's `BEGIN IMMEDIATE` wait up to a third of a second whenever the
writer restarted its log.) The index follows the posts table by id: a batch's new posts
have consecutive ids above the last indexed one, and each batch is indexed in one
transaction that also records how far it got. Whatever a hand-over does not cover (posts
stored by another process, or before a crash) `catch_up` reads from the database.
Searches call `catch_up` first, so they never see the index behind the posts. The file is
derived data: if it is missing, or belongs to another database (a restored backup), it is
rebuilt.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from rapport.records import Post
from rapport.store.backends.base import Inserted

log = logging.getLogger(__name__)

SCHEMA = "search"  # the name reading connections attach the index file under
# FTS5 merges a level's segments as soon as this many exist. At 4 (its default) a post's
# tokens were written again and again as batches arrived; at 8, indexing cost a sixth less
# (3.1 -> 2.6 µs per post on 200,000 demo posts, raw sqlite3, median of 3), and searches
# were no slower.
AUTOMERGE = 8
PASS = 50_000  # posts read and indexed at a time by `catch_up`, which bounds its memory
HANDED_BATCHES = 8  # batches handed over and not indexed yet, before the writer waits

_CREATE = (
    # Contentless: the text stays in `posts`, the index returns post ids. No per-document
    # token counts (`columnsize=0`): only ranking functions read them, and Rapport does
    # not rank by text.
    "CREATE VIRTUAL TABLE IF NOT EXISTS posts_fts USING fts5(text, content='', "
    "columnsize=0, tokenize='unicode61 remove_diacritics 2')",
    f"INSERT INTO posts_fts(posts_fts, rank) VALUES ('automerge', {AUTOMERGE})",
    # How far the index has come: the id of the last post indexed and that post's key, to
    # tell this database from another one found under the same name.
    "CREATE TABLE IF NOT EXISTS indexed (upto INTEGER NOT NULL, network TEXT, source_id TEXT)",
    "INSERT INTO indexed SELECT 0, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM indexed)",
)
# A run of consecutive ids as one statement: SQLite tokenises the whole batch without
# coming back to Python, and so without the interpreter lock.
_INDEX_RUN = "INSERT INTO posts_fts(rowid, text) SELECT ? + key, value FROM json_each(?)"
_INDEX_ONE = "INSERT INTO posts_fts(rowid, text) VALUES (?, ?)"
_MARK = "UPDATE indexed SET upto = ?, network = ?, source_id = ?"

# A committed batch's posts and which were new; None tells the thread to stop.
_Handed = tuple[Sequence[Post], Inserted] | None


def index_path(database: Path) -> Path:
    return database.with_name(database.name + ".search")


class SearchIndex:
    """The full-text index of the posts in the SQLite database at `database`."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = index_path(database)
        self._lock = threading.Lock()  # the connection: one indexing pass at a time
        self._connection: sqlite3.Connection | None = None
        self._handed: queue.Queue[_Handed] = queue.Queue(maxsize=HANDED_BATCHES)
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()

    def ensure(self) -> None:
        """Create the index file if it is not there yet, so that readers can attach it."""
        if self.path.exists():
            return  # without waiting for an indexing pass to let go of the connection
        with self._lock:
            self._connect()

    def catch_up(self) -> None:
        """Index every stored post that is not indexed yet, reading them from the database."""
        with self._lock:
            connection = self._connect()
            while self._catch_up_pass(connection):
                pass

    def add(self, posts: Sequence[Post], inserted: Inserted) -> None:
        """Posts just committed, the new ones `inserted`: index them soon, on the index's
        own thread.

        Waits while the thread is `HANDED_BATCHES` behind, which bounds the memory held.
        """
        if not inserted.ids:
            return
        with self._thread_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="rapport-search-index", daemon=True
                )
                self._thread.start()
        self._handed.put((posts, inserted))

    def close(self) -> None:
        """Index what was handed over, then stop the thread and close the file."""
        with self._thread_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._handed.put(None)
            thread.join()
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    # The thread -------------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            item = self._handed.get()
            if item is None:
                return
            posts, inserted = item
            try:
                with self._lock:
                    self._index_handed(self._connect(), _Texts.handed(posts, inserted))
            except Exception:
                # The thread must outlive a failure, or the writer would wait for it for
                # ever. Searches catch up for themselves (and report an error); so does the
                # next batch, which finds a gap.
                log.exception("indexing posts for search in %s failed", self.path)

    def _index_handed(self, connection: sqlite3.Connection, texts: _Texts) -> None:
        while True:
            upto = _upto(connection)
            rest = texts.after(upto)
            if rest is None:
                return  # a search indexed them already
            if rest.first_id != upto + 1:
                # Posts this thread was not handed lie between: another process stored
                # them, or this one before a crash. The database has all of them.
                while self._catch_up_pass(connection):
                    pass
                return
            if self._write(connection, upto, rest):
                return

    # Both paths -------------------------------------------------------------------------------

    def _catch_up_pass(self, connection: sqlite3.Connection) -> bool:
        """Index up to `PASS` more posts read from the database; whether there may be more."""
        upto = _upto(connection)
        rows: list[tuple[int, str, str, str]] = connection.execute(
            "SELECT id, network, source_id, text FROM store.posts WHERE id > ? ORDER BY id LIMIT ?",
            (upto, PASS),
        ).fetchall()
        if not rows:
            return False
        self._write(connection, upto, _Texts.of_rows(rows))
        return True

    def _write(
        self, connection: sqlite3.Connection, upto: int | None, texts: _Texts | None
    ) -> bool:
        """Index `texts` in one transaction, if the index still ends at `upto` (None: empty
        it first); whether it did. Another process may have indexed meanwhile."""
        # Not BEGIN IMMEDIATE, which would take the write lock of the attached database too;
        # the first write takes this file's lock alone.
        connection.execute("BEGIN")
        try:
            connection.execute("UPDATE indexed SET upto = upto")
            if upto is None:
                connection.execute("INSERT INTO posts_fts(posts_fts) VALUES ('delete-all')")
                connection.execute(_MARK, (0, None, None))
            elif _upto(connection) != upto:
                connection.execute("ROLLBACK")
                return False
            if texts is not None:
                if texts.ids is None:
                    run = orjson.dumps(texts.texts).decode()
                    connection.execute(_INDEX_RUN, (texts.first_id, run))
                else:
                    connection.executemany(_INDEX_ONE, zip(texts.ids, texts.texts, strict=True))
                connection.execute(_MARK, (texts.last_id, *texts.last_key))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return True

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            for pragma in (
                "PRAGMA page_size=8192",
                "PRAGMA journal_mode=WAL",
                "PRAGMA synchronous=NORMAL",
                "PRAGMA busy_timeout=10000",
                "PRAGMA cache_size=-32768",
            ):
                connection.execute(pragma)
            for statement in _CREATE:
                connection.execute(statement)
            connection.execute("ATTACH DATABASE ? AS store", (str(self.database),))
            upto, network, source_id = connection.execute(
                "SELECT upto, network, source_id FROM indexed"
            ).fetchone()
            if upto and _post_key(connection, upto) != (network, source_id):
                log.warning("the search index %s is not this database's: rebuilding", self.path)
                self._write(connection, None, None)
            self._connection = connection
        return self._connection


def _upto(connection: sqlite3.Connection) -> int:
    return int(connection.execute("SELECT upto FROM indexed").fetchone()[0])


def _post_key(connection: sqlite3.Connection, post_id: int) -> tuple[str, str] | None:
    """The key of the post stored under `post_id`, if any (the tables may not exist yet)."""
    tables = "SELECT 1 FROM store.sqlite_master WHERE type = 'table' AND name = 'posts'"
    if connection.execute(tables).fetchone() is None:
        return None
    found = connection.execute(
        "SELECT network, source_id FROM store.posts WHERE id = ?", (post_id,)
    ).fetchone()
    return (found[0], found[1]) if found is not None else None


@dataclass(frozen=True)
class _Texts:
    """Texts of stored posts to index, by ascending id, and the key of the last one."""

    first_id: int
    texts: list[str]
    ids: list[int] | None  # None: consecutive from `first_id`
    last_key: tuple[str, str]

    @property
    def last_id(self) -> int:
        return self.first_id + len(self.texts) - 1 if self.ids is None else self.ids[-1]

    @classmethod
    def handed(cls, posts: Sequence[Post], inserted: Inserted) -> _Texts:
        if inserted.first_id is not None:
            # The common case, a wholly new batch: no per-post work beyond taking the text.
            last = posts[-1]
            return cls(
                inserted.first_id, [p.text for p in posts], None, (last.network, last.source_id)
            )
        rows = []
        for post in posts:
            post_id = inserted.ids.get((post.network, post.source_id))
            if post_id is not None:
                rows.append((post_id, post.network, post.source_id, post.text))
        rows.sort()
        return cls.of_rows(rows)

    @classmethod
    def of_rows(cls, rows: list[tuple[int, str, str, str]]) -> _Texts:
        """From (id, network, source_id, text) rows, by ascending id; at least one."""
        first, last = rows[0], rows[-1]
        consecutive = last[0] - first[0] + 1 == len(rows)
        ids = None if consecutive else [row[0] for row in rows]
        return cls(first[0], [row[3] for row in rows], ids, (last[1], last[2]))

    def after(self, upto: int) -> _Texts | None:
        """The ones above `upto`, if any."""
        if self.last_id <= upto:
            return None
        if self.ids is None:
            skip = max(0, upto + 1 - self.first_id)
            return (
                _Texts(self.first_id + skip, self.texts[skip:], None, self.last_key)
                if skip
                else self
            )
        keep = [i for i, post_id in enumerate(self.ids) if post_id > upto]
        return _Texts(
            self.ids[keep[0]],
            [self.texts[i] for i in keep],
            [self.ids[i] for i in keep],
            self.last_key,
        )
