"""The listening query language: every operator, precedence, fields, and errors with positions."""

from __future__ import annotations

import pytest

from rapport.listen.matcher import PostView, QuerySet, matches
from rapport.listen.query import And, Field, Near, Not, Or, Phrase, QueryError, Tag, Word, parse
from rapport.records import Author, Enrichment, Label, Urgency
from tests.conftest import make_post


def view(text: str, **fields: object) -> PostView:
    enrichment = fields.pop("enrichment", None)
    post = make_post("1", text, **fields)
    return PostView.of(post, enrichment)  # type: ignore[arg-type]


def hits(query: str, text: str, **fields: object) -> bool:
    return matches(parse(query), view(text, **fields))


def test_and_binds_tighter_than_or_and_juxtaposition_is_and() -> None:
    assert parse("a b OR c") == Or((And((Word("a"), Word("b"))), Word("c")))
    assert parse("a AND (b OR c)") == And((Word("a"), Or((Word("b"), Word("c")))))
    assert parse("NOT a -b") == And((Not(Word("a")), Not(Word("b"))))
    assert parse('"lost my card" NEAR/3 help') == Near(
        Phrase(("lost", "my", "card")), Word("help"), 3
    )
    assert parse("#Fail @NovaCardHelp") == And(
        (Tag("hashtag", "fail"), Tag("mention", "novacardhelp"))
    )
    assert parse("min_followers:10k") == Field("min_followers", "10k", 10_000.0)


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("card stolen", "My CARD was stolen!", True),
        ("card stolen", "my card is fine", False),
        ("stolen OR lost", "I lost it", True),
        ("card -stolen", "card stolen", False),
        ("card NOT stolen", "card arrived", True),
        ('"lost my card"', "I think I lost my card today", True),
        ('"lost my card"', "my card, I lost it", False),
        ("refund*", "still waiting for my refunds", True),
        ("refund*", "a prefund", False),
        ("card NEAR/2 blocked", "card was blocked", True),
        ("card NEAR/2 blocked", "blocked again, my new card", False),
        ("card NEAR/3 blocked", "blocked again, my card", True),
        ("awful", "awfully", False),
        ("and", "me and you", True),
        ("-(spam OR promo) card", "card promo", False),
        ('-"free money" card', "card with free money", False),
        ("被盗", "我的卡被盗了", True),
    ],
)
def test_operators(query: str, text: str, expected: bool) -> None:
    assert hits(query, text) is expected


def test_fields_read_the_post_its_author_and_the_models() -> None:
    post = make_post(
        "1",
        "@NovaCardHelp app down again https://www.bbc.co.uk/news #fail",
        author=Author(source_id="7", handle="Alice", followers=12_500),
        lang="en",
        links=("https://www.bbc.co.uk/news",),
        domains=("bbc.co.uk",),
        hashtags=("fail",),
        mentions=("novacardhelp",),
    )
    said = Enrichment(
        lang="en",
        sentiment=Label(label="negative", score=0.9),
        intent=Label(label="Refund_not_showing_up", score=0.8),
        team="disputes",
        urgency=Urgency(level="high", reasons=("outage",)),
        classes=(
            ("upgrade", Label(label="yes", score=0.9)),
            ("travel", Label(label="none", score=0.7)),
        ),
    )
    seen = PostView.of(post, said)
    for query in (
        "lang:en", "from:alice", "from:@alice", "domain:bbc.co.uk", "domain:co.uk", "has:link",
        "has:mention", "has:hashtag", "min_followers:10k", "sentiment:negative",
        "intent:Refund_not_showing_up", "intent:refund_not_showing_up", "team:disputes",
        "urgency:high", "urgency:>=normal", "class:upgrade", "class:travel=none", "#FAIL",
        "@novacardhelp", "down",
    ):  # fmt: skip
        assert matches(parse(query), seen), query
    for query in (
        "lang:es", "from:bob", "domain:cnn.com", "has:media", "min_followers:1m",
        "sentiment:positive", "team:cards", "urgency:critical", "urgency:>=critical",
        "class:travel", "class:missing", "#win",
    ):  # fmt: skip
        assert not matches(parse(query), seen), query


@pytest.mark.parametrize(
    ("query", "column", "message"),
    [
        ("card AND", 9, "ends too early"),
        ("(card OR lost", 1, "never closed"),
        ("card)", 5, "without a matching"),
        ('"lost my card', 1, "quote is never closed"),
        ("card NEAR/x lost", 6, "distance"),
        ("card NEAR/3 (a OR b)", 6, "two words or phrases"),
        ("colour:red", 1, "unknown field 'colour'"),
        ("sentiment:angry", 11, "sentiment: takes"),
        ("min_followers:lots", 15, "min_followers: takes a number"),
        ("OR card", 1, "needs something on its left"),
        ("", 1, "empty"),
        ("a*b* x", 1, "wildcard"),
    ],
)
def test_errors_point_at_the_line_and_column(query: str, column: int, message: str) -> None:
    with pytest.raises(QueryError, match=message) as caught:
        parse(query)
    assert (caught.value.line, caught.value.column) == (1, column)


def test_errors_on_later_lines_name_that_line() -> None:
    with pytest.raises(QueryError) as caught:
        parse("card OR\n  stolen AND\n  (lost")
    assert (caught.value.line, caught.value.column) == (3, 3)
    assert "line 3, column 3" in str(caught.value)


def test_a_query_set_names_the_query_that_is_wrong() -> None:
    with pytest.raises(QueryError, match="query 'brand-2'"):
        QuerySet({"brand-1": "card", "brand-2": "card AND"})
