"""SQLite's lookups of posts by text and by author, in a file of their own beside the
database, kept by a thread of their own.

Inside the posts' own transaction, tokenising a post for FTS5 and filing it under its
author (an index whose pages a batch touches all over) cost the one writer about a third
of its time per post. Kept in a separate file, they are written by another connection on
another thread, which runs on the second core: the driver releases the interpreter lock
while SQLite works, and writing one database file does not lock the other.

The writer hands each committed batch's posts over in memory, so the thread does not read
the database while ingest runs. The lookups follow the posts table by id: a batch's new
posts have consecutive ids above the last one filed, and each batch is filed in one
transaction that also records how far it got. Whatever a hand-over does not cover (posts
stored by another process, or before a crash) `catch_up` reads from the database. Readers
call `catch_up` first, so they never see the lookups behind the posts. The file is derived
data: if it is missing, of an older layout, or belongs to another database (a restored
backup), it is rebuilt.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from rapport.records import Post
from rapport.store.backends.base import Inserted
from rapport.store.backends.sqlite_driver import driver

log = logging.getLogger(__name__)

SCHEMA = "lookups"  # the name reading connections attach the file under
LAYOUT = 1  # the file's `user_version`; a file of another layout is rebuilt
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
    # The posts of each author, for a customer's history.
    "CREATE TABLE IF NOT EXISTS posts_by_author (network TEXT NOT NULL, author_source_id "
    "TEXT NOT NULL, post_id INTEGER NOT NULL, PRIMARY KEY (network, author_source_id, post_id)"
    ") WITHOUT ROWID",
    # How far the lookups have come: the id of the last post indexed and that post's key, to
    # tell this database from another one found under the same name.
    "CREATE TABLE IF NOT EXISTS indexed (upto INTEGER NOT NULL, network TEXT, source_id TEXT)",
    "INSERT INTO indexed SELECT 0, NULL, NULL WHERE NOT EXISTS (SELECT 1 FROM indexed)",
)
# A run of consecutive ids as one statement: SQLite tokenises the whole batch without
# coming back to Python, and so without the interpreter lock.
_INDEX_RUN = "INSERT INTO posts_fts(rowid, text) SELECT ? + key, value FROM json_each(?)"
_INDEX_ONE = "INSERT INTO posts_fts(rowid, text) VALUES (?, ?)"
_FILE_RUN = "INSERT INTO posts_by_author SELECT value ->> 0, value ->> 1, ? + key FROM json_each(?)"
# The same for posts of one network, the usual batch: no JSON to take apart per post.
_FILE_RUN_ONE_NETWORK = "INSERT INTO posts_by_author SELECT ?, value, ? + key FROM json_each(?)"
_FILE_ONE = "INSERT INTO posts_by_author VALUES (?, ?, ?)"
_MARK = "UPDATE indexed SET upto = ?, network = ?, source_id = ?"

# A committed batch's posts and which were new; None tells the thread to stop.
_Handed = tuple[Sequence[Post], Inserted] | None


def lookups_path(database: Path) -> Path:
    return database.with_name(database.name + ".lookups")


class Lookups:
    """Lookups of the posts in the SQLite database at `database`."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lookups_path(database)
        self._lock = threading.Lock()  # the connection: one filing pass at a time
        self._connection: driver.Connection | None = None
        self._handed: queue.Queue[_Handed] = queue.Queue(maxsize=HANDED_BATCHES)
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()

    def ensure(self) -> None:
        """Create the file if it is not there yet, so that readers can attach it."""
        if self.path.exists():
            return  # without waiting for a filing pass to let go of the connection
        with self._lock:
            self._connect()

    def catch_up(self) -> None:
        """File every stored post that is not filed yet, reading them from the database."""
        with self._lock:
            connection = self._connect()
            while self._catch_up_pass(connection):
                pass

    def add(self, posts: Sequence[Post], inserted: Inserted) -> None:
        """Posts just committed, the new ones `inserted`: file them soon, on the thread.

        Waits while the thread is `HANDED_BATCHES` behind, which bounds the memory held.
        """
        if not inserted.ids:
            return
        with self._thread_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="rapport-lookups", daemon=True
                )
                self._thread.start()
        self._handed.put((posts, inserted))

    def close(self) -> None:
        """File what was handed over, then stop the thread and close the file."""
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
                    self._file_handed(self._connect(), _Posts.handed(posts, inserted))
            except Exception:
                # The thread must outlive a failure, or the writer would wait for it for
                # ever. Readers catch up for themselves (and report an error); so does the
                # next batch, which finds a gap.
                log.exception("filing posts in %s failed", self.path)

    def _file_handed(self, connection: driver.Connection, posts: _Posts) -> None:
        while True:
            upto = _upto(connection)
            rest = posts.after(upto)
            if rest is None:
                return  # a reader filed them already
            if rest.first_id != upto + 1:
                # Posts this thread was not handed lie between: another process stored
                # them, or this one before a crash. The database has all of them.
                while self._catch_up_pass(connection):
                    pass
                return
            if self._write(connection, upto, rest):
                return

    # Both paths -------------------------------------------------------------------------------

    def _catch_up_pass(self, connection: driver.Connection) -> bool:
        """File up to `PASS` more posts read from the database; whether there may be more."""
        upto = _upto(connection)
        rows: list[tuple[int, str, str, str, str]] = connection.execute(
            "SELECT id, network, source_id, text, author_source_id FROM store.posts "
            "WHERE id > ? ORDER BY id LIMIT ?",
            (upto, PASS),
        ).fetchall()
        if not rows:
            return False
        self._write(connection, upto, _Posts.of_rows(rows))
        return True

    def _write(self, connection: driver.Connection, upto: int | None, posts: _Posts | None) -> bool:
        """File `posts` in one transaction, if the file still ends at `upto` (None: empty
        it first); whether it did. Another process may have filed them meanwhile."""
        # Not BEGIN IMMEDIATE, which would take the write lock of the attached database too;
        # the first write takes this file's lock alone.
        connection.execute("BEGIN")
        try:
            connection.execute("UPDATE indexed SET upto = upto")
            if upto is None:
                connection.execute("INSERT INTO posts_fts(posts_fts) VALUES ('delete-all')")
                connection.execute("DELETE FROM posts_by_author")
                connection.execute(_MARK, (0, None, None))
            elif _upto(connection) != upto:
                connection.execute("ROLLBACK")
                return False
            if posts is not None:
                if posts.ids is None:
                    # Consecutive ids: one statement each, and SQLite does the rest.
                    texts = orjson.dumps(posts.texts).decode()
                    connection.execute(_INDEX_RUN, (posts.first_id, texts))
                    network = posts.authors[0][0]
                    if all(net == network for net, _ in posts.authors):
                        authors = orjson.dumps([author for _, author in posts.authors]).decode()
                        connection.execute(
                            _FILE_RUN_ONE_NETWORK, (network, posts.first_id, authors)
                        )
                    else:
                        authors = orjson.dumps(posts.authors).decode()
                        connection.execute(_FILE_RUN, (posts.first_id, authors))
                else:
                    connection.executemany(_INDEX_ONE, zip(posts.ids, posts.texts, strict=True))
                    connection.executemany(
                        _FILE_ONE,
                        [
                            (net, author, i)
                            for i, (net, author) in zip(posts.ids, posts.authors, strict=True)
                        ],
                    )
                connection.execute(_MARK, (posts.last_id, *posts.last_key))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return True

    def _connect(self) -> driver.Connection:
        if self._connection is None:
            connection = driver.connect(self.path, isolation_level=None, check_same_thread=False)
            for pragma in (
                "PRAGMA page_size=8192",
                "PRAGMA journal_mode=WAL",
                "PRAGMA synchronous=NORMAL",
                "PRAGMA busy_timeout=10000",
                "PRAGMA cache_size=-32768",
            ):
                connection.execute(pragma)
            (layout,) = connection.execute("PRAGMA user_version").fetchone()
            if layout != LAYOUT:
                # Derived data of another layout: start again, and catch up.
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                    "'CREATE TABLE ''posts_fts_%'"
                ).fetchall():
                    connection.execute(f'DROP TABLE IF EXISTS "{name}"')
                connection.execute(f"PRAGMA user_version = {LAYOUT}")
            for statement in _CREATE:
                connection.execute(statement)
            connection.execute("ATTACH DATABASE ? AS store", (str(self.database),))
            upto, network, source_id = connection.execute(
                "SELECT upto, network, source_id FROM indexed"
            ).fetchone()
            if upto and _post_key(connection, upto) != (network, source_id):
                log.warning("the lookups file %s is not this database's: rebuilding", self.path)
                self._write(connection, None, None)
            self._connection = connection
        return self._connection


def _upto(connection: driver.Connection) -> int:
    return int(connection.execute("SELECT upto FROM indexed").fetchone()[0])


def _post_key(connection: driver.Connection, post_id: int) -> tuple[str, str] | None:
    """The key of the post stored under `post_id`, if any (the tables may not exist yet)."""
    tables = "SELECT 1 FROM store.sqlite_master WHERE type = 'table' AND name = 'posts'"
    if connection.execute(tables).fetchone() is None:
        return None
    found = connection.execute(
        "SELECT network, source_id FROM store.posts WHERE id = ?", (post_id,)
    ).fetchone()
    return (found[0], found[1]) if found is not None else None


@dataclass(frozen=True)
class _Posts:
    """Stored posts to file, by ascending id: texts, authors, and the key of the last one."""

    first_id: int
    texts: list[str]
    authors: list[tuple[str, str]]  # (network, author_source_id)
    ids: list[int] | None  # None: consecutive from `first_id`
    last_key: tuple[str, str]

    @property
    def last_id(self) -> int:
        return self.first_id + len(self.texts) - 1 if self.ids is None else self.ids[-1]

    @classmethod
    def handed(cls, posts: Sequence[Post], inserted: Inserted) -> _Posts:
        if inserted.first_id is not None:
            # The common case, a wholly new batch: little per-post work in Python.
            last = posts[-1]
            return cls(
                inserted.first_id,
                [p.text for p in posts],
                [(p.network, p.author.source_id) for p in posts],
                None,
                (last.network, last.source_id),
            )
        rows = []
        for post in posts:
            post_id = inserted.ids.get((post.network, post.source_id))
            if post_id is not None:
                rows.append(
                    (post_id, post.network, post.source_id, post.text, post.author.source_id)
                )
        rows.sort()
        return cls.of_rows(rows)

    @classmethod
    def of_rows(cls, rows: list[tuple[int, str, str, str, str]]) -> _Posts:
        """From (id, network, source_id, text, author_source_id) rows by ascending id; one
        at least."""
        first, last = rows[0], rows[-1]
        consecutive = last[0] - first[0] + 1 == len(rows)
        return cls(
            first[0],
            [row[3] for row in rows],
            [(row[1], row[4]) for row in rows],
            None if consecutive else [row[0] for row in rows],
            (last[1], last[2]),
        )

    def after(self, upto: int) -> _Posts | None:
        """The ones above `upto`, if any."""
        if self.last_id <= upto:
            return None
        if self.ids is None:
            skip = max(0, upto + 1 - self.first_id)
            if not skip:
                return self
            return _Posts(
                self.first_id + skip, self.texts[skip:], self.authors[skip:], None, self.last_key
            )
        keep = [i for i, post_id in enumerate(self.ids) if post_id > upto]
        return _Posts(
            self.ids[keep[0]],
            [self.texts[i] for i in keep],
            [self.authors[i] for i in keep],
            [self.ids[i] for i in keep],
            self.last_key,
        )
