"""The store, on both backends: once per key, threads, authors, quarantine, search, migrations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from rapport.errors import ConfigError, NotFound
from rapport.records import Author, PublicMetrics, Rejected
from rapport.store import Database
from rapport.store.schema import metadata
from tests.conftest import make_post


def test_a_post_is_stored_once_however_often_it_arrives(database: Database) -> None:
    first = database.store_batch([make_post("1"), make_post("2"), make_post("1")])
    again = database.store_batch([make_post("2"), make_post("3")])

    assert sorted(k[1] for k in first.ids) == ["1", "2"]
    assert list(again.ids) == [("x", "3")]
    assert database.count_posts() == 3


def test_same_source_id_on_two_networks_is_two_posts(database: Database) -> None:
    database.store_batch([make_post("1"), make_post("1", network="reddit")])
    assert database.count_posts() == 2


def test_replies_arriving_before_their_thread_root_join_it(database: Database) -> None:
    # 3 replies to 2, which replies to 1; they arrive newest first, one batch each.
    database.store_batch([make_post("3", reply_to_id="2", conversation_id="2")])
    database.store_batch([make_post("2", reply_to_id="1", conversation_id="1")])
    assert database.get_post(1).conversation_id == "1"  # root of "3" is now known to be "1"
    database.store_batch([make_post("1")])

    thread = database.thread("x", "1")
    assert sorted(p.source_id for p in thread) == ["1", "2", "3"]


def test_a_whole_thread_in_one_batch_resolves_to_its_root(database: Database) -> None:
    database.store_batch(
        [
            make_post("c", reply_to_id="b", conversation_id="b"),
            make_post("b", reply_to_id="a", conversation_id="a"),
            make_post("a"),
        ]
    )
    assert {p.source_id for p in database.thread("x", "a")} == {"a", "b", "c"}


@pytest.mark.parametrize("order", ["parent last", "parent first"])
def test_late_parents_in_one_batch_move_their_threads_whichever_comes_first(
    database: Database, order: str
) -> None:
    # "p" took "y" as its root and "k" took "x", both unknown then; "x" answers "p" and "y"
    # answers the root "w", and they arrive together: everything ends up under "w".
    database.store_batch([make_post("w")])
    database.store_batch(
        [
            make_post("p", reply_to_id="y", conversation_id="y"),
            make_post("k", reply_to_id="x", conversation_id="x"),
        ]
    )
    late = [
        make_post("x", reply_to_id="p", conversation_id="p"),
        make_post("y", reply_to_id="w", conversation_id="w"),
    ]
    database.store_batch(late if order == "parent last" else late[::-1])

    assert {p.source_id for p in database.thread("x", "w")} == {"w", "p", "k", "x", "y"}


def test_authors_and_posts_with_naive_times_are_stored_as_utc(database: Database) -> None:
    author = Author(source_id="a1", handle="ann", created_at=datetime(2020, 1, 2, 3, 4, 5))
    post = make_post("1", author=author, created_at=datetime(2026, 1, 2, 3, 4, 5))
    database.store_batch([post])

    assert database.get_post(1).created_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    stored = database.get_author("x", "a1")
    assert stored.created_at == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_an_authoritative_conversation_id_is_kept(database: Database) -> None:
    database.store_batch([make_post("9", reply_to_id="8", conversation_id="5")])
    assert database.get_post(1).conversation_id == "5"


def test_author_keeps_the_description_from_the_newest_post(database: Database) -> None:
    early = datetime(2026, 1, 1, tzinfo=UTC)
    old = Author(source_id="a1", handle="alice", followers=10)
    new = Author(source_id="a1", handle="alice_new", followers=5000, verified=True)
    database.store_batch([make_post("2", author=new, created_at=early + timedelta(days=2))])
    database.store_batch([make_post("1", author=old, created_at=early)])

    author = database.get_author("x", "a1")
    assert (author.handle, author.followers, author.verified) == ("alice_new", 5000, True)


def test_rejects_are_quarantined_once_per_origin(database: Database) -> None:
    reject = Rejected(
        source="f.jsonl",
        location="line 3",
        format="rapport-jsonl",
        reason="truncated JSON",
        raw=b'{"net',
    )
    database.store_batch([], [reject])
    database.store_batch([], [reject])
    assert database.stats().quarantined_open == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stolen", {"1", "3"}),
        ("card stolen", {"1"}),
        ('"app down"', {"2"}),
        ("stolen -card", {"3"}),
        ("stolen OR down", {"1", "2", "3"}),
        ('bad" OR "syntax*(', set()),
    ],
)
def test_full_text_search(database: Database, query: str, expected: set[str]) -> None:
    database.store_batch(
        [
            make_post("1", "My card was stolen in Madrid"),
            make_post("2", "The app down again, cannot pay"),
            make_post("3", "Phone stolen, what now?"),
            make_post("4", "Lovely rewards this month"),
        ]
    )
    found = database.list_posts(search=query).items
    assert {p.source_id for p in found} == expected


def test_within_a_batch_the_newest_post_describes_its_author(database: Database) -> None:
    early = datetime(2026, 1, 1, tzinfo=UTC)

    def by(handle: str) -> Author:
        return Author(source_id="a1", handle=handle)

    # Out of time order, and two posts at the same time: the later of those in the batch.
    database.store_batch(
        [
            make_post("1", author=by("noon"), created_at=early + timedelta(hours=12)),
            make_post("2", author=by("night"), created_at=early + timedelta(hours=23)),
            make_post("3", author=by("morning"), created_at=early + timedelta(hours=8)),
            make_post("4", author=by("night_again"), created_at=early + timedelta(hours=23)),
            make_post("5", author=Author(source_id="b2", handle="bo"), created_at=early),
        ]
    )
    assert database.get_author("x", "a1").handle == "night_again"
    assert database.get_author("x", "b2").handle == "bo"


def test_listing_pages_newest_first_with_a_cursor(database: Database) -> None:
    database.store_batch([make_post(str(i)) for i in range(7)])
    first = database.list_posts(limit=3)
    second = database.list_posts(limit=3, before_id=first.next_cursor)
    newer = database.list_posts(limit=10, after_id=first.items[-1].id)

    assert [p.source_id for p in first.items] == ["6", "5", "4"]
    assert [p.source_id for p in second.items] == ["3", "2", "1"]
    assert [p.source_id for p in newer.items] == ["5", "6"]


def test_stored_posts_round_trip_their_fields(database: Database) -> None:
    created = datetime(2026, 11, 2, 8, 30, 15, 123456, tzinfo=UTC)
    database.store_batch(
        [
            make_post(
                "1",
                "hi #x",
                created_at=created,
                hashtags=("x",),
                domains=("bbc.co.uk",),
                links=("https://news.bbc.co.uk/a",),
                lang="en",
                has_media=True,
            )
        ]
    )
    post = database.get_post(1)
    assert post.created_at == created
    assert post.hashtags == ["x"]
    assert post.domains == ["bbc.co.uk"]
    assert post.links == ["https://news.bbc.co.uk/a"]
    assert post.has_media is True
    with pytest.raises(NotFound):
        database.get_post(99)


def test_absent_fields_read_back_as_none_and_zero_like_values_as_given(
    database: Database,
) -> None:
    # SQLite binds stand-ins for None (the integer 0 in text columns, '' in integer ones):
    # a text "0" or a count of 0 must not turn into NULL, nor NULL into either.
    bare = Author(source_id="a0", handle="zed")
    zeros = Author(source_id="0", handle="0", display_name="0", created_at=datetime(2020, 1, 1))
    database.store_batch(
        [
            make_post("1", author=bare, metrics=PublicMetrics(views=None)),
            make_post(
                "2",
                "0",
                author=zeros,
                reply_to_id="0",
                quote_of_id="0",
                repost_of_id="0",
                lang="0",
                metrics=PublicMetrics(views=0),
            ),
        ]
    )
    absent, zero = database.get_post(1), database.get_post(2)
    fields = ("reply_to_id", "quote_of_id", "repost_of_id", "lang", "views")
    assert [getattr(absent, f) for f in fields] == [None] * 5
    assert [getattr(zero, f) for f in fields] == ["0", "0", "0", "0", 0]
    assert (absent.has_media, zero.text) == (False, "0")
    assert database.get_author("x", "a0").created_at is None
    assert database.get_author("x", "a0").verified is False
    stored = database.get_author("x", "0")
    assert (stored.handle, stored.display_name) == ("0", "0")
    assert stored.created_at == datetime(2020, 1, 1, tzinfo=UTC)


def test_migrations_create_exactly_the_declared_schema(database: Database) -> None:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        diff = compare_metadata(context, metadata)
    # The full-text column and index are dialect-specific and live outside the metadata;
    # SQLite keeps its index of posts by author in a file of its own (declared `ddl_if`,
    # which Alembic's comparison does not read).
    meaningful = [d for d in diff if "search" not in str(d) and "posts_fts" not in str(d)]
    if database.dialect == "sqlite":
        meaningful = [
            d for d in meaningful if not (d[0] == "add_index" and d[1].name == "ix_posts_author")
        ]
    assert meaningful == []


def test_upgrade_twice_is_harmless(database: Database) -> None:
    database.upgrade()
    with database.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM posts")).scalar_one() == 0


def test_unsupported_database_urls_are_refused_with_the_fix() -> None:
    with pytest.raises(ConfigError, match="postgresql\\+psycopg"):
        Database("mysql://localhost/db")


def test_author_counters_refresh_when_they_move_more_than_a_little(database: Database) -> None:
    day = datetime(2026, 3, 1, tzinfo=UTC)

    def seen(hour: int, followers: int, post_count: int) -> None:
        author = Author(source_id="a9", handle="bo", followers=followers, post_count=post_count)
        database.store_batch(
            [make_post(f"p{hour}", author=author, created_at=day + timedelta(hours=hour))]
        )

    seen(0, 10_000, 500)
    seen(1, 10_010, 501)  # within 1%: not rewritten
    assert database.get_author("x", "a9").followers == 10_000
    seen(2, 10_500, 502)  # 5% more followers: rewritten
    assert database.get_author("x", "a9").followers == 10_500
    assert database.get_author("x", "a9").post_count == 502


def test_what_the_models_said_is_stored_with_the_post_and_read_back(database: Database) -> None:
    from rapport.records import Enrichment, Envelope, Factor, Label, Priority, Urgency

    said = Enrichment(
        lang="es",
        sentiment=Label(label="negative", score=0.91),
        intent=Label(label="lost_or_stolen_card", score=0.9),
        team="fraud_and_security",
        complaint=Label(label="not_complaint", score=0.7),
        urgency=Urgency(level="critical", reasons=("lost or stolen card: 'robaron'",)),
        classes=(("topics", Label(label="travel", score=0.8)),),
    )
    later = Enrichment(lang="es", sentiment=Label(label="positive", score=0.99))
    post = make_post("1", "me robaron la tarjeta")
    priority = Priority(
        score=40.0, factors=(Factor(name="urgency", value=1.0, weight=40.0, reason="critical"),)
    )
    first = Envelope(post=post, enrichment=said, priority=priority)
    database.store_batch([post], analyses={("x", "1"): first})
    database.store_batch([post], analyses={("x", "1"): Envelope(post=post, enrichment=later)})
    database.store_batch([make_post("2", "no models ran")])

    [unanalysed, stored] = database.list_posts().items
    assert unanalysed.analysis is None
    analysis = stored.analysis
    assert analysis is not None
    assert analysis.sentiment == "negative"
    assert analysis.sentiment_score == pytest.approx(0.91)
    assert (analysis.intent, analysis.team, analysis.urgency) == (
        "lost_or_stolen_card",
        "fraud_and_security",
        "critical",
    )
    assert analysis.complaint_score == pytest.approx(0.3)
    assert analysis.urgency_reasons == ["lost or stolen card: 'robaron'"]
    assert analysis.classes == {"topics": {"label": "travel", "score": 0.8}}
    assert analysis.priority == 40.0
    assert analysis.priority_factors == [
        {"name": "urgency", "value": 1.0, "weight": 40.0, "reason": "critical"}
    ]
    assert database.get_post(stored.id).analysis == analysis


def _stored_ids(database: Database) -> dict[str, int]:
    with database.reading() as conn:
        return {
            source_id: post_id
            for post_id, source_id in conn.execute(sa.text("SELECT id, source_id FROM posts"))
        }


def test_the_ids_a_batch_reports_are_the_ids_its_posts_were_stored_under(
    database: Database,
) -> None:
    wholly_new = database.store_batch([make_post(str(i)) for i in range(50)])
    # Stored posts among new ones: the backends' fast paths for wholly new batches must
    # step aside and still report each new post's own id.
    mixed = database.store_batch([make_post(str(i)) for i in range(40, 90)])

    stored = _stored_ids(database)
    assert {sid: i for (_, sid), i in wholly_new.ids.items()} == {
        str(i): stored[str(i)] for i in range(50)
    }
    assert {sid: i for (_, sid), i in mixed.ids.items()} == {
        str(i): stored[str(i)] for i in range(50, 90)
    }


def test_batches_inside_deferred_durability_commit_without_waiting_for_the_disk(
    database: Database,
) -> None:
    def commit_mode(conn: sa.Connection, _inserted: object) -> None:
        if conn.dialect.name == "postgresql":
            modes.append(conn.exec_driver_sql("SHOW synchronous_commit").scalar_one())

    modes: list[str] = []
    with database.deferred_durability():
        database.store_batch([make_post("1")], then=commit_mode)
    database.store_batch([make_post("2")], then=commit_mode)

    assert database.count_posts() == 2
    if database.dialect == "postgresql":
        assert modes == ["off", "on"]


def test_a_new_sqlite_database_uses_8_kib_pages(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'new.db'}")
    database.upgrade()
    with database.reading() as conn:
        assert conn.exec_driver_sql("PRAGMA page_size").scalar_one() == 8192
    database.close()


def test_deferred_durability_stays_with_the_thread_that_asked_for_it(
    database: Database,
) -> None:
    import threading

    def commit_mode(conn: sa.Connection, _inserted: object) -> None:
        if conn.dialect.name == "postgresql":
            modes.append(conn.exec_driver_sql("SHOW synchronous_commit").scalar_one())

    modes: list[str] = []
    with database.deferred_durability():
        # Another writer meanwhile (an HTTP request, say) keeps durable commits.
        other = threading.Thread(
            target=lambda: database.store_batch([make_post("2")], then=commit_mode)
        )
        other.start()
        other.join()
        database.store_batch([make_post("1")], then=commit_mode)

    assert database.count_posts() == 2
    if database.dialect == "postgresql":
        assert modes == ["on", "off"]


def test_search_finds_every_post_across_many_batches(database: Database) -> None:
    # Each batch adds index segments that the full-text index merges as they pile up.
    for batch in range(30):
        database.store_batch(
            [
                make_post(f"{batch}-{i}", f"refund {'late' if i % 2 else 'ok'} w{batch}")
                for i in range(20)
            ]
        )
    assert len(database.list_posts(search="refund", limit=1000).items) == 600
    assert len(database.list_posts(search="late w7", limit=1000).items) == 10
