"""The database: engine, migrations, the one writer, and the queries the rest of Rapport uses."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from rapport.errors import ConfigError, NotFound, StoreError
from rapport.records import Alert, Envelope, Post, PublicMetrics, Rejected
from rapport.records.posts import PostsPage, Stats, StoredAuthor, StoredPost
from rapport.store import rows, schema
from rapport.store.alerts import insert_alerts
from rapport.store.backends.base import Backend, Inserted
from rapport.store.backends.postgres import PostgresBackend
from rapport.store.backends.sqlite import SQLiteBackend
from rapport.store.backends.sqlite_driver import driver
from rapport.store.writer import Writer

T = TypeVar("T")


class Database:
    """One database, SQLite or PostgreSQL, chosen by URL."""

    def __init__(self, url: str, *, search_path: str | None = None) -> None:
        self.url = sa.engine.make_url(url)
        if self.url.drivername in ("postgresql", "postgres"):
            self.url = self.url.set(drivername="postgresql+psycopg")
        self.backend = _backend_for(self.url)
        connect_args: dict[str, Any] = {}
        engine_args: dict[str, Any] = {}
        if self.backend.dialect == "sqlite":
            Path(self.url.database or "").parent.mkdir(parents=True, exist_ok=True)
            connect_args["check_same_thread"] = False
            engine_args["module"] = driver
        elif search_path:
            connect_args["options"] = f"-csearch_path={search_path}"
        self.engine = sa.create_engine(
            self.url, connect_args=connect_args, pool_pre_ping=True, **engine_args
        )
        self.backend.configure_engine(self.engine)
        self.writer = Writer(self.engine)
        # Open `deferred_durability` blocks, per thread: only the thread that reads a
        # replayable source relaxes its commits; anyone else writing meanwhile (an HTTP
        # request, a worker) keeps durable ones.
        self._local = threading.local()

    @property
    def dialect(self) -> str:
        return self.backend.dialect

    def upgrade(self) -> None:
        """Bring the schema to the newest migration; safe to run on every start."""
        config = Config()
        config.set_main_option("script_location", "rapport.store:migrations")
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except sa.exc.OperationalError as exc:
            raise StoreError(
                f"cannot migrate {self.url.render_as_string(hide_password=True)}: {exc.orig}"
            ) from exc
        # Lookups kept beside the database (SQLite) are built here for posts stored before
        # them, so that the first search after an upgrade does not wait for it.
        self.catch_up()

    def close(self) -> None:
        self.writer.close()
        self.backend.close()
        self.engine.dispose()

    # Writes -----------------------------------------------------------------------------------

    def store_batch(
        self,
        posts: Sequence[Post],
        rejects: Sequence[Rejected] = (),
        analyses: Mapping[tuple[str, str], Envelope] | None = None,
        *,
        alerts: Sequence[Alert] = (),
        deliver_alerts: bool = False,
        then: Callable[[sa.Connection, Inserted], None] | None = None,
    ) -> Inserted:
        """Store a batch through the one writer, in one transaction: new posts once (with what
        the models said of them and their priority, from envelopes keyed by (network,
        source_id)), rejects in quarantine, alerts not raised before; then `then` (the case
        desk) runs in the same transaction, so a crash keeps all of it or none."""
        unique = _first_of_each_key(posts)
        found = analyses or {}
        deferred = getattr(self._local, "deferred", 0) > 0

        def job(conn: sa.Connection) -> Inserted:
            if deferred:
                self.backend.defer_durability(conn)
            inserted = self.backend.insert_batch(conn, unique, rejects, found)
            insert_alerts(conn, alerts, deliver=deliver_alerts)
            if then is not None:
                then(conn, inserted)
            return inserted

        try:
            inserted = self.writer.call(job)
        except BaseException:
            # The transaction rolled back: the writer's memory of what it wrote is wrong now.
            self.backend.authors.forget()
            raise
        if inserted.ids:
            self.backend.committed_posts(unique, inserted)
        return inserted

    @contextmanager
    def deferred_durability(self) -> Iterator[None]:
        """Within the block, the batches this thread stores may commit before they reach the
        disk; when it ends normally, all of them are durable. For sources that can be read
        again: after a crash of the database server (not of Rapport, whose commits the
        server keeps) inside the block, reading the source again stores what was lost, once.

        SQLite already commits this way (WAL with synchronous=NORMAL), so only PostgreSQL
        changes.
        """
        self._local.deferred = getattr(self._local, "deferred", 0) + 1
        try:
            yield
        finally:
            self._local.deferred -= 1
        self.writer.call(self.backend.make_durable)

    def write(self, job: Callable[[sa.Connection], T]) -> T:
        """Run `job(connection)` through the one writer, in its own transaction."""
        return self.writer.call(job)

    # Reads ------------------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            yield conn

    def count_posts(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(schema.posts)).scalar_one()
            )

    def list_posts(
        self,
        *,
        tenant: str = "default",
        limit: int = 50,
        before_id: int | None = None,
        after_id: int | None = None,
        search: str | None = None,
        lang: str | None = None,
        network: str | None = None,
        conversation_id: str | None = None,
    ) -> PostsPage:
        """Posts newest first (or oldest first after `after_id`), filtered; keyset-paginated."""
        posts = schema.posts
        query = _select_posts().limit(limit + 1)
        if search:
            query = query.where(self.backend.search_clause(search))
        if lang:
            query = query.where(posts.c.lang == lang)
        if network:
            query = query.where(posts.c.network == network)
        if conversation_id:
            query = query.where(posts.c.conversation_id == conversation_id)
        if after_id is not None:
            query = query.where(posts.c.id > after_id).order_by(posts.c.id.asc())
        else:
            if before_id is not None:
                query = query.where(posts.c.id < before_id)
            query = query.order_by(posts.c.id.desc())
        with self.engine.connect() as conn:
            found = [rows.post_from_row(r, tenant) for r in conn.execute(query)]
        next_cursor = found[limit - 1].id if len(found) > limit else None
        return PostsPage(items=found[:limit], next_cursor=next_cursor)

    def get_post(self, post_id: int, *, tenant: str = "default") -> StoredPost:
        with self.engine.connect() as conn:
            row = conn.execute(_select_posts().where(schema.posts.c.id == post_id)).first()
        if row is None:
            raise NotFound(f"no post with id {post_id}")
        return rows.post_from_row(row, tenant)

    def thread(
        self, network: str, conversation_id: str, *, tenant: str = "default"
    ) -> list[StoredPost]:
        posts = schema.posts
        query = (
            _select_posts()
            .where(posts.c.network == network, posts.c.conversation_id == conversation_id)
            .order_by(posts.c.created_at, posts.c.id)
        )
        with self.engine.connect() as conn:
            return [rows.post_from_row(r, tenant) for r in conn.execute(query)]

    def get_author(self, network: str, source_id: str) -> StoredAuthor:
        authors = schema.authors
        query = sa.select(authors).where(
            authors.c.network == network, authors.c.source_id == source_id
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"no author {source_id!r} on {network}")
        return rows.author_from_row(row)

    def catch_up(self) -> None:
        """Make every post committed so far findable by search and `posts_of` now (SQLite
        files them on a thread of their own; searches catch up by themselves)."""
        self.backend.catch_up()

    def posts_of(self, handles: Sequence[tuple[str, str]]) -> sa.ColumnElement[bool]:
        """A WHERE clause on `posts` choosing what these (network, author id) handles wrote;
        every post committed before the call is among them."""
        return self.backend.posts_of(handles)

    def latest_post_of(self, network: str, author_source_id: str) -> PublicMetrics | None:
        """The public metrics of an author's newest stored post."""
        posts = schema.posts
        query = (
            sa.select(posts.c.likes, posts.c.reposts, posts.c.replies, posts.c.quotes)
            .where(self.posts_of([(network, author_source_id)]))
            .order_by(posts.c.created_at.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return PublicMetrics(
            likes=int(row.likes), reposts=int(row.reposts), replies=int(row.replies),
            quotes=int(row.quotes),
        )  # fmt: skip

    def stats(self) -> Stats:
        posts = schema.posts
        with self.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(posts)).scalar_one()
            by_lang = conn.execute(
                sa.select(posts.c.lang, sa.func.count())
                .group_by(posts.c.lang)
                .order_by(sa.func.count().desc())
            ).all()
            quarantined = conn.execute(
                sa.select(sa.func.count())
                .select_from(schema.quarantine)
                .where(schema.quarantine.c.status == "open")
            ).scalar_one()
        return Stats(
            posts=int(total),
            quarantined_open=int(quarantined),
            by_lang={lang or "und": int(n) for lang, n in by_lang},
        )


def _backend_for(url: sa.URL) -> Backend:
    name = url.get_backend_name()
    if name == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise ConfigError(
                f"SQLite needs a file, not {url.database or 'an empty path'!r}: "
                "use sqlite:///path/to/rapport.db"
            )
        return SQLiteBackend(Path(url.database))
    if name == "postgresql":
        if url.get_driver_name() != "psycopg":
            raise ConfigError(
                f"database driver {url.drivername!r} is not supported; "
                "use postgresql+psycopg://user@host/database"
            )
        return PostgresBackend()
    raise ConfigError(
        f"database URL scheme {url.drivername!r} is not supported; "
        "use sqlite:///path/to/rapport.db or postgresql+psycopg://user@host/database"
    )


def _first_of_each_key(posts: Sequence[Post]) -> list[Post]:
    seen: set[tuple[str, str]] = set()
    unique: list[Post] = []
    for post in posts:
        key = (post.network, post.source_id)
        if key not in seen:
            seen.add(key)
            unique.append(post)
    return unique


def _select_posts() -> sa.Select[Any]:
    """Posts with what the models said of them (absent for posts ingested without models)."""
    posts, analyses = schema.posts, schema.analyses
    found = [analyses.c[name] for name in rows.ANALYSIS_COLUMNS[1:]]
    return sa.select(posts, *found).select_from(
        posts.outerjoin(analyses, analyses.c.post_id == posts.c.id)
    )
