"""Volume and sentiment over time, by language and intent: the dashboards' trend report on
both databases, per hour and per day, and through the API with its CSV."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rapport.records import Author, Enrichment, Envelope, Label, Post
from rapport.records.reports import TrendRow
from rapport.settings import Settings
from rapport.store import Database
from rapport.store.reports import sentiment_trend
from tests.web.test_access import admin_client, make_app

NOW = datetime(2026, 11, 20, 12, 30, tzinfo=UTC)


def store(database: Database, posts: list[tuple[str, timedelta, str, str, str | None]]) -> None:
    """(id, age, lang, intent, sentiment) posts; a sentiment of None stores no analysis."""
    made, found = [], {}
    for source_id, age, lang, intent, sentiment in posts:
        post = Post(
            network="x", source_id=source_id, author=Author(source_id="a" + source_id, handle="u"),
            text="my card", created_at=NOW - age, lang=lang,
        )  # fmt: skip
        made.append(post)
        if sentiment is not None:
            enrichment = Enrichment(
                lang=lang, sentiment=Label(label=sentiment, score=0.9),
                intent=Label(label=intent, score=0.8), team="cards",
            )  # fmt: skip
            found[("x", source_id)] = Envelope(post=post, enrichment=enrichment)
    database.store_batch(made, analyses=found)


H, D = timedelta(hours=1), timedelta(days=1)
POSTS = [
    ("1", 10 * H, "en", "card_lost", "negative"),
    ("2", 10 * H + timedelta(minutes=20), "en", "card_lost", "negative"),
    ("3", 10 * H, "es", "card_lost", "positive"),
    ("4", 3 * H, "en", "greeting", "neutral"),
    ("5", 3 * H, "fr", "greeting", None),  # stored without what the models said
    ("6", 3 * D, "en", "card_lost", "negative"),
    ("7", 30 * D, "en", "card_lost", "negative"),  # outside every window below
]


def test_hourly_buckets_split_sentiment_and_keep_quiet_hours(database: Database) -> None:
    store(database, POSTS)
    with database.reading() as conn:
        rows = sentiment_trend(conn, NOW - 2 * D, NOW, "hour")
    assert len(rows) == 49  # every hour of two days, the current one included
    assert rows[0].key == "2026-11-18 12:00"
    by_key = {r.key: r for r in rows}
    # 10 h 20 min before 12:30 is 02:10, 10 h before is 02:30: the same hour.
    assert by_key["2026-11-20 02:00"] == TrendRow(
        key="2026-11-20 02:00", negative=2, neutral=0, positive=1, unscored=0, total=3
    )
    assert by_key["2026-11-20 09:00"].neutral == 1
    assert by_key["2026-11-20 09:00"].unscored == 1
    assert by_key["2026-11-20 09:00"].total == 2
    assert [r.total for r in rows].count(0) == 47  # posts 6 and 7 are older
    assert by_key["2026-11-20 05:00"].total == 0


def test_daily_buckets_filter_by_language_and_by_intent(database: Database) -> None:
    store(database, POSTS)
    with database.reading() as conn:
        english = sentiment_trend(conn, NOW - 7 * D, NOW, "day", "lang", "en")
        lost = sentiment_trend(conn, NOW - 7 * D, NOW, "day", "intent", "card_lost")
        nobody = sentiment_trend(conn, NOW - 7 * D, NOW, "day", "lang", "de")
    assert (english[0].key, english[-1].key) == ("2026-11-13", "2026-11-20")
    days = {r.key: r for r in english}
    assert (days["2026-11-20"].negative, days["2026-11-20"].neutral) == (2, 1)
    assert days["2026-11-17"].negative == 1
    assert days["2026-11-20"].positive == 0  # the positive post is Spanish
    intents = {r.key: r for r in lost}
    assert (intents["2026-11-20"].negative, intents["2026-11-20"].positive) == (2, 1)
    assert intents["2026-11-20"].neutral == 0  # the neutral post is a greeting
    assert {r.total for r in nobody} == {0}


def test_the_api_gives_the_trend_and_its_csv(settings: Settings, database: Database) -> None:
    store(database, POSTS)
    app = make_app(settings, database)
    app.state.clock = lambda: NOW
    client = admin_client(app, database)
    hourly = client.get("/api/v1/reports/sentiment-trend?days=1").json()
    assert hourly["step"] == "hour"
    assert sum(r["negative"] for r in hourly["items"]) == 2
    daily = client.get("/api/v1/reports/sentiment-trend?days=7&by=intent&key=card_lost").json()
    assert (daily["step"], daily["by"], daily["key"]) == ("day", "intent", "card_lost")
    assert sum(r["negative"] for r in daily["items"]) == 3
    csv = client.get("/api/v1/reports/sentiment-trend?days=7&by=lang&key=es&format=csv").text
    lines = csv.splitlines()
    assert lines[0] == "key,negative,neutral,positive,unscored,total"
    assert "2026-11-20,0,0,1,0,1" in lines
    half = client.get("/api/v1/reports/sentiment-trend?by=lang")
    assert half.status_code == 422
    assert "key=None" in half.json()["detail"]
    client.close()
