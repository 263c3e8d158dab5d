"""SQLite's lookups of posts by text and by author, in a file of their own beside the
database, kept by a thread of their own.

Inside the posts' own transaction, tokenising a post for FTS5 and filing it under its
author (an index whose pages a batch touches all over) cost the one writer about a third
of its time per post. Kept in a separate file, they are written by another connection on
another thread, which runs on the second core: writing one database file does not lock
the other.

The lookups follow the posts table by id: each pass files the posts above the last one
filed, in one transaction that also records how far it got. A pass is SQL alone (`INSERT
... SELECT` from the attached database), so SQLite reads, tokenises and files the posts
without coming back to Python, and the driver releases the interpreter lock for all of it:
the writer, whose work is mostly Python, does not wait for it. After each commit the writer
wakes the thread; whoever stored the posts (this process, another, or one before a crash)
makes no difference. Readers call `catch_up` first, so they never see the lookups behind
the posts. The file is derived data: if it is missing, of an older layout, or belongs to
another database (a restored backup), it is rebuilt.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from rapport.store.backends.sqlite_driver import driver

log = logging.getLogger(__name__)

SCHEMA = "lookups"  # the name reading connections attach the file under
LAYOUT = 1  # the file's `user_version`; a file of another layout is rebuilt
# FTS5 merges a level's segments as soon as this many exist. At 4 (its default) a post's
# tokens were written again and again as batches arrived; at 8, indexing cost a sixth less
# (3.1 -> 2.6 µs per post on 200,000 demo posts, raw sqlite3, median of 3), and searches
# were no slower.
AUTOMERGE = 8
PASS = 50_000  # posts filed per transaction, which bounds FTS5's pending tokens

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
# One pass: the posts with ids in (?1, ?2].
_INDEX = (
    "INSERT INTO posts_fts(rowid, text) SELECT id, text FROM store.posts WHERE id > ?1 AND id <= ?2"
)
_FILE = (
    "INSERT INTO posts_by_author SELECT network, author_source_id, id FROM store.posts "
    "WHERE id > ?1 AND id <= ?2"
)
_MARK = (
    "UPDATE indexed SET (upto, network, source_id) = "
    "(SELECT id, network, source_id FROM store.posts WHERE id = ?)"
)


def lookups_path(database: Path) -> Path:
    return database.with_name(database.name + ".lookups")


class Lookups:
    """Lookups of the posts in the SQLite database at `database`."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lookups_path(database)
        self._lock = threading.Lock()  # the connection: one filing pass at a time
        self._connection: driver.Connection | None = None
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()

    def ensure(self) -> None:
        """Create the file if it is not there yet, so that readers can attach it."""
        if self.path.exists():
            return  # without waiting for a filing pass to let go of the connection
        with self._lock:
            self._connect()

    def catch_up(self) -> None:
        """File every stored post that is not filed yet."""
        with self._lock:
            connection = self._connect()
            while self._pass(connection):
                pass

    def follow(self) -> None:
        """Posts were just committed: file them soon, on the thread."""
        with self._thread_lock:
            if self._thread is None:
                self._stopping = False
                self._thread = threading.Thread(
                    target=self._run, name="rapport-lookups", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def close(self) -> None:
        """File what was committed, then stop the thread and close the file."""
        with self._thread_lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._stopping = True
            self._wake.set()
            thread.join()
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            try:
                self.catch_up()
            except Exception:
                # The thread must outlive a failure. Readers catch up for themselves (and
                # report an error); so does the next wake-up.
                log.exception("filing posts in %s failed", self.path)
            if self._stopping:
                return

    def _pass(self, connection: driver.Connection) -> bool:
        """File up to `PASS` more posts; whether there may be more."""
        upto = _upto(connection)
        last = connection.execute(
            "SELECT max(id) FROM (SELECT id FROM store.posts WHERE id > ? ORDER BY id LIMIT ?)",
            (upto, PASS),
        ).fetchone()[0]
        if last is None:
            return False
        return self._write(connection, upto, last)

    def _write(self, connection: driver.Connection, upto: int, last: int) -> bool:
        """File the posts in (`upto`, `last`] in one transaction, if the file still ends at
        `upto`; whether it did. Another process may have filed them meanwhile."""
        # Not BEGIN IMMEDIATE, which would take the write lock of the attached database too;
        # the first write takes this file's lock alone.
        connection.execute("BEGIN")
        try:
            connection.execute("UPDATE indexed SET upto = upto")
            if _upto(connection) != upto:
                connection.execute("ROLLBACK")
                return False
            connection.execute(_INDEX, (upto, last))
            connection.execute(_FILE, (upto, last))
            connection.execute(_MARK, (last,))
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return True

    def _clear(self, connection: driver.Connection) -> None:
        connection.execute("BEGIN")
        try:
            connection.execute("INSERT INTO posts_fts(posts_fts) VALUES ('delete-all')")
            connection.execute("DELETE FROM posts_by_author")
            connection.execute("UPDATE indexed SET upto = 0, network = NULL, source_id = NULL")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

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
                self._clear(connection)
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
