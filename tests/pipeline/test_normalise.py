"""Normalisation: text clean-up, entities, link domains, thread ids, time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from rapport.domains import registered_domain
from rapport.pipeline.normalise import normalise_post
from rapport.text import clean_text, extract_entities
from tests.conftest import make_post


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x00b\x07c", "abc"),
        ("line\r\nnext\rlast", "line\nnext\nlast"),
        ("evil \u202egnp.exe", "evil gnp.exe"),
        ("\ufeff  padded  ", "padded"),
        ("cafe\u0301", "café"),  # decomposed accent composed (NFC)
        ("tab\tkept", "tab\tkept"),
        ("👩\u200d💻 zwj kept", "👩\u200d💻 zwj kept"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_entities_are_found_lowercased_once_each() -> None:
    found = extract_entities(
        "@NovaCardHelp my #Card was #STOLEN #card! mail me at a@b.com, $AAPL vs US$5 "
        "https://news.bbc.co.uk/x?a=1). ＃日本 #123 x#y"
    )
    assert found.hashtags == ("card", "stolen", "日本")
    assert found.mentions == ("novacardhelp",)
    assert found.cashtags == ("AAPL",)
    assert found.urls == ("https://news.bbc.co.uk/x?a=1",)


def test_text_without_entities_gives_none() -> None:
    assert extract_entities("just words here") == ((), (), (), ())


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://news.bbc.co.uk/article", "bbc.co.uk"),
        ("http://WWW.Example.COM:8080/x", "example.com"),
        ("https://user:pw@blog.medium.com/p", "medium.com"),
        ("www.lemonde.fr/economie", "lemonde.fr"),
        ("https://someone.github.io/x", "someone.github.io"),  # private suffix counts
        ("http://192.168.1.10/admin", "192.168.1.10"),
        ("https://t.co/abc", "t.co"),
        ("http://", ""),
    ],
)
def test_registered_domain_offline(url: str, domain: str) -> None:
    assert registered_domain(url) == domain


def test_normalise_post_fills_entities_domains_thread_and_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    post = make_post(
        "7",
        "  Card declined again @NovaCardHelp #fail https://www.reuters.com/a\u202e ",
        reply_to_id="6",
        links=("https://blog.example.org/p",),
        created_at=datetime(2026, 11, 2, 10, 0, tzinfo=plus_two),
    )
    clean = normalise_post(post)
    assert clean.text == "Card declined again @NovaCardHelp #fail https://www.reuters.com/a"
    assert clean.mentions == ("novacardhelp",)
    assert clean.hashtags == ("fail",)
    assert clean.links == ("https://blog.example.org/p",)
    assert clean.domains == ("example.org",)
    assert clean.conversation_id == "6"
    assert clean.created_at == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    assert clean.created_at.tzinfo == UTC


def test_links_come_from_the_text_when_the_source_gives_none() -> None:
    clean = normalise_post(make_post("1", "see https://www.reuters.com/a and www.ft.com/b."))
    assert clean.links == ("https://www.reuters.com/a", "www.ft.com/b")
    assert clean.domains == ("reuters.com", "ft.com")


def test_a_naive_timestamp_is_taken_as_utc() -> None:
    clean = normalise_post(make_post("1", created_at=datetime(2026, 1, 1, 12, 0)))
    assert clean.created_at == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
