"""Domain traffic weights: lookups, the user's CSV, the shipped table and history weights."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from rapport.domains import registered_domain
from rapport.errors import ConfigError
from rapport.records import Author, Post
from rapport.score.domain_traffic import (
    DEFAULT_CSV_PATH,
    SHORTENERS,
    TIERS_PATH,
    DomainWeights,
    build_default_table,
    build_from_tiers,
    weights_from_history,
)
from rapport.store import Database

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str, name: str = "weights.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_lookups_match_the_domain_or_its_closest_listed_parent() -> None:
    table = DomainWeights({"bbc.co.uk": 0.8, "reuters.com": 0.92, "example.blogspot.com": 0.3})
    assert table.weight_of("reuters.com") == (0.92, "reuters.com")
    assert table.weight_of("News.BBC.co.uk.") == (0.8, "bbc.co.uk")
    assert table.weight_of("example.blogspot.com") == (0.3, "example.blogspot.com")
    # The neighbours of a listed blog, and bare suffixes, take nothing from it.
    assert table.weight_of("other.blogspot.com") == (0.0, None)
    assert table.weight_of("co.uk") == (0.0, None)
    assert table.weight_of("unknown.org") == (0.0, None)
    assert "BBC.co.uk" in table
    assert len(table) == 3


def test_a_post_takes_its_heaviest_domain_with_the_reason() -> None:
    table = DomainWeights({"bbc.co.uk": 0.8, "reuters.com": 0.92})
    assert table.for_post(("example.org", "reuters.com", "bbc.co.uk")) == (
        0.92,
        "links to reuters.com (traffic weight 0.92)",
    )
    assert table.for_post(("news.bbc.co.uk",)) == (
        0.8,
        "links to news.bbc.co.uk (as bbc.co.uk, traffic weight 0.80)",
    )
    assert table.for_post(()) == (0.0, "no links")
    assert table.for_post(("t.co", "bit.ly")) == (
        0.0,
        "links only through t.co, bit.ly, which hide the source",
    )
    value, reason = table.for_post(("a.org", "b.org", "c.org", "d.org"))
    assert value == 0.0
    assert reason == "links to a.org, b.org, c.org and 1 more: not in the domain weight table"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("reuters.com,1.5", "line 3: weight '1.5' for 'reuters.com' is not a number from 0 to 1"),
        ("reuters.com,high", "line 3: weight 'high' for 'reuters.com' is not a number"),
        ("reuters.com,nan", "line 3: weight 'nan'"),
        ("reuters.com", "line 3: expected 2 columns (domain,weight), found 1"),
        ("reuters.com,0.5,news", "line 3: expected 2 columns (domain,weight), found 3"),
        ("www.reuters.com,0.5", "line 3: 'www.reuters.com' is a host, not a registered domain; "
         "write 'reuters.com'"),
        ("co.uk,0.5", "line 3: 'co.uk' is a public suffix"),
        ("t.co,0.5", "line 3: 't.co' is a URL shortener"),
        ("localhost,0.5", "line 3: 'localhost' is not a domain name (it has no dot)"),
        ("10.0.0.1,0.5", "line 3: '10.0.0.1' is an IP address"),
        ("bbc.co.uk,0.3", "line 3: 'bbc.co.uk' is already on line 2"),
    ],
)  # fmt: skip
def test_csv_errors_name_the_file_line_and_value(tmp_path: Path, row: str, message: str) -> None:
    path = write(tmp_path, f"domain,weight\nbbc.co.uk,0.8\n{row}\n")
    with pytest.raises(ConfigError) as caught:
        DomainWeights.from_csv(path)
    assert str(caught.value).startswith(f"{path}, {message}")


def test_csv_comments_blank_lines_bom_and_a_missing_header_are_fine(tmp_path: Path) -> None:
    path = write(tmp_path, '\ufeff# my outlets\n\nExample.COM, 0.5\n"bbc.co.uk",1\n')
    assert DomainWeights.from_csv(path).as_dict() == {"example.com": 0.5, "bbc.co.uk": 1.0}
    with pytest.raises(ConfigError, match="does not exist"):
        DomainWeights.from_csv(tmp_path / "missing.csv")


def test_a_users_csv_replaces_the_default_or_lays_over_it(tmp_path: Path) -> None:
    path = write(tmp_path, "domain,weight\nmy-local-news.com,0.7\nreuters.com,0\n")
    default = DomainWeights.default()
    assert DomainWeights.load(None) is default
    assert default.weight_of("reuters.com")[0] > 0.5

    own = DomainWeights.load(path)
    assert own.as_dict() == {"my-local-news.com": 0.7, "reuters.com": 0.0}
    assert own.weight_of("bbc.co.uk") == (0.0, None)

    over = DomainWeights.load(path, over_default=True)
    assert over.weight_of("my-local-news.com") == (0.7, "my-local-news.com")
    assert over.weight_of("reuters.com") == (0.0, "reuters.com")  # silenced
    assert over.weight_of("bbc.co.uk") == default.weight_of("bbc.co.uk")
    assert len(over) == len(default) + 1


def test_the_shipped_csv_is_exactly_what_the_build_script_writes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "build_domain_weights", ROOT / "scripts" / "build_domain_weights.py"
    )
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "domain_weights.csv"
    assert script.main(["--out", str(out)]) == 0
    assert out.read_bytes() == DEFAULT_CSV_PATH.read_bytes()
    again = tmp_path / "again.csv"
    build_default_table(TIERS_PATH, again)
    assert again.read_bytes() == out.read_bytes()


def test_the_shipped_table_covers_each_kind_of_source_sensibly() -> None:
    table = DomainWeights.default()
    assert len(table) >= 300
    assert all(registered_domain(d) == d for d in table.as_dict())
    assert not SHORTENERS & table.as_dict().keys()
    # News outlets in several of the served languages, regulators and card networks.
    for domain in ("reuters.com", "elpais.com", "globo.com", "lemonde.fr", "spiegel.de",
                   "corriere.it", "aljazeera.net", "bhaskar.com", "ria.ru", "hurriyet.com.tr",
                   "sina.com.cn", "detik.com", "consumerfinance.gov", "fca.org.uk", "visa.com",
                   "mastercard.com", "trustpilot.com"):  # fmt: skip
        assert table.weight_of(domain)[0] > 0, domain
    # Platforms written by their users are capped, below a major newspaper.
    assert table.weight_of("x.com")[0] < table.weight_of("nytimes.com")[0]
    assert table.weight_of("youtube.com")[0] == pytest.approx(0.4)
    assert set(table.as_dict().values()) <= {1.0, 0.8, 0.6, 0.4, 0.2}


def test_the_tiers_file_is_checked(tmp_path: Path) -> None:
    head = "[scale]\ntop = 9\nfloor = 4\n[tiers]\n1 = 9\n2 = 8\n"
    twice = write(tmp_path, head + '[categories.a]\n1 = ["a.com"]\n[categories.b]\n2 = ["a.com"]\n')
    with pytest.raises(ConfigError, match=r"'a\.com' is listed in both a and b"):
        build_from_tiers(twice)
    host = write(tmp_path, head + '[categories.a]\n1 = ["www.a.com"]\n', "host.toml")
    with pytest.raises(ConfigError, match=r"write 'a\.com'"):
        build_from_tiers(host)
    tier = write(tmp_path, head + '[categories.a]\n7 = ["a.com"]\n', "tier.toml")
    with pytest.raises(ConfigError, match="tier '7'"):
        build_from_tiers(tier)
    capped = write(tmp_path, head + '[categories.a]\ncap_tier = 2\n1 = ["a.com"]\n', "cap.toml")
    assert build_from_tiers(capped) == {"a.com": 0.8}


def test_history_weights_follow_the_reach_of_distinct_authors() -> None:
    rows = [
        ("bignews.com", "anchor", 2_000_000),
        ("bignews.com", "reader", 300),
        ("smallblog.net", "Writer", 500),
        # One account posting its link again and again still counts once.
        *[("smallblog.net", "writer", 500)] * 50,
        ("local.org", "a", 900),
        ("local.org", "b", 900),
        ("t.co", "anchor", 2_000_000),
        ("co.uk", "someone", 10),
    ]
    weights = weights_from_history(rows)
    assert list(weights) == ["bignews.com", "local.org", "smallblog.net"]
    assert weights["bignews.com"] == 1.0
    assert weights["bignews.com"] > weights["local.org"] > weights["smallblog.net"] > 0
    assert weights_from_history(rows, min_authors=2) == {
        "bignews.com": 1.0,
        "local.org": pytest.approx(weights["local.org"] / weights["bignews.com"]),
    }
    assert weights_from_history([]) == {}
    # The result is a valid table.
    assert DomainWeights(weights).weight_of("local.org")[1] == "local.org"


def test_domains_build_weighs_stored_links_by_distinct_author_reach(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from rapport.cli import app
    from tests.conftest import make_post

    def by(handle: str, followers: int, source_id: str, url: str) -> Post:
        author = Author(source_id=handle, handle=handle, followers=followers)
        domain = registered_domain(url)
        return make_post(source_id, "look", author=author, links=(url,), domains=(domain,))

    database.store_batch([
        by("big", 2_000_000, "1", "https://news.example.org/a"),
        by("small", 50, "2", "https://blog.example.net/x"),
        by("small", 50, "3", "https://blog.example.net/y"),
    ])  # fmt: skip
    out = tmp_path / "weights.csv"
    result = CliRunner().invoke(
        app, ["domains", "build", str(out), "--min-authors", "1", "--database-url", database_url]
    )
    assert result.exit_code == 0, result.output
    weights = DomainWeights.from_csv(out)
    assert weights.weight_of("example.org")[0] == 1.0
    assert 0 < weights.weight_of("example.net")[0] < 0.5
