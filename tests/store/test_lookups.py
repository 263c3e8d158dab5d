"""SQLite's lookups by text and by author, kept in a file of their own by a thread of their
own: readers never see them behind, they build themselves for posts stored before them, and
a file that belongs to another database, or has another layout, is rebuilt rather than
trusted."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from rapport.errors import ConfigError
from rapport.records import Author
from rapport.store import Database, schema
from rapport.store.backends.sqlite_driver import driver
from rapport.store.backends.sqlite_lookups import AUTOMERGE, LAYOUT, lookups_path
from tests.conftest import make_post


def _open(path: Path) -> Database:
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    return database


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = _open(tmp_path / "rapport.db")
    yield db
    db.close()


def _found(database: Database, query: str) -> set[str]:
    return {p.source_id for p in database.list_posts(search=query, limit=1000).items}


def _authored(database: Database, *handles: tuple[str, str]) -> set[str]:
    posts = schema.posts
    with database.reading() as conn:
        query = sa.select(posts.c.source_id).where(database.posts_of(list(handles)))
        return set(conn.execute(query).scalars())


def _indexed_upto(path: Path) -> int:
    with driver.connect(lookups_path(path)) as connection:
        return int(connection.execute("SELECT upto FROM indexed").fetchone()[0])


def test_the_index_thread_follows_each_stored_batch(database: Database, tmp_path: Path) -> None:
    database.store_batch([make_post(str(i), f"stolen card {i}") for i in range(50)])
    deadline = time.monotonic() + 10
    while _indexed_upto(tmp_path / "rapport.db") < 50 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _indexed_upto(tmp_path / "rapport.db") == 50
    with driver.connect(lookups_path(tmp_path / "rapport.db")) as connection:
        automerge = connection.execute("SELECT v FROM posts_fts_config WHERE k = 'automerge'")
        assert automerge.fetchone()[0] == AUTOMERGE


def test_a_search_right_after_storing_finds_the_new_posts(database: Database) -> None:
    for batch in range(5):
        database.store_batch([make_post(f"{batch}", f"outage number{batch}")])
        assert _found(database, f"number{batch}") == {f"{batch}"}


def test_a_missing_index_is_built_from_the_stored_posts(tmp_path: Path) -> None:
    path = tmp_path / "rapport.db"
    database = _open(path)
    database.store_batch([make_post("1", "refund please"), make_post("2", "lovely app")])
    database.close()
    lookups_path(path).unlink()

    database = _open(path)
    try:
        assert _found(database, "refund") == {"1"}
    finally:
        database.close()


def test_an_index_of_another_database_is_rebuilt(tmp_path: Path) -> None:
    first, second = _open(tmp_path / "a.db"), _open(tmp_path / "b.db")
    try:
        first.store_batch([make_post(f"a{i}", "fraud alert") for i in range(3)])
        second.store_batch([make_post("b1", "fraud alert"), make_post("b2", "all fine")])
        assert _found(first, "fraud") == {"a0", "a1", "a2"}
    finally:
        first.close()
        second.close()
    # b.db's index replaced by a.db's (a restored backup, a copied file): its post 3 is
    # a.db's third, which b.db does not have.
    shutil.copy(lookups_path(tmp_path / "a.db"), lookups_path(tmp_path / "b.db"))
    second = _open(tmp_path / "b.db")
    try:
        assert _found(second, "fraud") == {"b1"}
        assert _found(second, "fine") == {"b2"}
    finally:
        second.close()


def test_sqlite_in_memory_is_refused_with_the_fix() -> None:
    with pytest.raises(ConfigError, match="sqlite:///path"):
        Database("sqlite:///:memory:")


def test_posts_another_process_stored_in_between_are_indexed(tmp_path: Path) -> None:
    # Each Database keeps its own index thread, woken by its own batches only; it files
    # the batch another one stored between two of them too.
    path = tmp_path / "rapport.db"
    first, second = _open(path), _open(path)
    try:
        first.store_batch([make_post("a1", "card declined at the till")])
        second.store_batch([make_post("b1", "card stolen last night")])
        first.store_batch([make_post("a2", "card arrived, thanks")])
        first.close()  # files what was committed before it stops
        assert _indexed_upto(path) == 3
        assert _found(second, "card") == {"a1", "b1", "a2"}
    finally:
        second.close()


def test_the_writer_never_holds_the_index_file(database: Database) -> None:
    # A reader attaches the index to its pooled connection; the writer, which may be handed
    # that connection, must not have it attached, or each write transaction would lock the
    # index's file against the index thread.
    database.store_batch([make_post("1", "refund please")])
    assert _found(database, "refund") == {"1"}
    attached = database.write(
        lambda conn: [row[1] for row in conn.exec_driver_sql("PRAGMA database_list")]
    )
    assert "search" not in attached


def test_a_batch_with_posts_stored_before_indexes_only_the_new_ones(
    database: Database, tmp_path: Path
) -> None:
    database.store_batch([make_post("1", "lost card"), make_post("2", "lost wallet")])
    # A replay: two of these are stored already, so the new ones' ids are read back.
    database.store_batch(
        [make_post("1", "lost card"), make_post("3", "lost phone"), make_post("2", "lost wallet")]
    )
    database.store_batch([make_post("4", "lost keys")])
    database.close()
    assert _indexed_upto(tmp_path / "rapport.db") == 4
    reopened = _open(tmp_path / "rapport.db")
    try:
        assert _found(reopened, "lost") == {"1", "2", "3", "4"}
    finally:
        reopened.close()


def _by(author: str) -> Author:
    return Author(source_id=author, handle=f"h{author}")


def test_the_posts_of_an_author_are_found_as_soon_as_they_are_stored(
    database: Database,
) -> None:
    database.store_batch(
        [make_post("1", author=_by("ann")), make_post("2", author=_by("bo")),
         make_post("3", author=_by("ann"))]
    )  # fmt: skip
    assert _authored(database, ("x", "ann")) == {"1", "3"}
    database.store_batch([make_post("4", author=_by("ann"), network="reddit")])
    assert _authored(database, ("x", "ann")) == {"1", "3"}
    assert _authored(database, ("x", "ann"), ("reddit", "ann")) == {"1", "3", "4"}
    assert _authored(database, ("x", "nobody")) == set()
    assert _authored(database) == set()
    # One batch across networks.
    database.store_batch(
        [make_post("5", author=_by("cy")), make_post("5", author=_by("cy"), network="reddit")]
    )
    assert _authored(database, ("reddit", "cy")) == {"5"}
    assert _authored(database, ("x", "cy"), ("reddit", "ann")) == {"5", "4"}


def test_a_file_of_another_layout_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "rapport.db"
    database = _open(path)
    database.store_batch([make_post("1", "refund please", author=_by("ann"))])
    database.close()
    # An older Rapport's file: full text only, and an older layout number.
    with driver.connect(lookups_path(path)) as connection:
        connection.execute("DROP TABLE posts_by_author")
        connection.execute(f"PRAGMA user_version = {LAYOUT - 1}")

    database = _open(path)
    try:
        assert _authored(database, ("x", "ann")) == {"1"}
        assert _found(database, "refund") == {"1"}
    finally:
        database.close()


def test_an_upgrade_builds_the_lookups_for_posts_already_stored(tmp_path: Path) -> None:
    path = tmp_path / "rapport.db"
    database = _open(path)
    database.store_batch([make_post(str(i), "card blocked") for i in range(1, 4)])
    database.close()
    lookups_path(path).unlink()

    database = _open(path)  # upgrades
    try:
        assert _indexed_upto(path) == 3
    finally:
        database.close()
