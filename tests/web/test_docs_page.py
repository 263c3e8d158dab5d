"""/api/docs is served whole by this server, under the console's Content-Security-Policy:
Swagger UI's files come from an installed package, not a CDN, so the page works offline
and nothing from another origin runs with a signed-in user's cookie."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from rapport.settings import Settings
from rapport.store import Database
from tests.web.test_access import make_app

# The page does not touch the database; one backend is enough.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


class References(HTMLParser):
    """Every URL a page makes the browser load, and the bodies of its script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        # data-openapi: the document the page's script has Swagger UI fetch.
        for name in ("src", "href", "data-openapi"):
            if found.get(name):
                self.urls.append(str(found[name]))
        self._in_script = tag == "script" and not found.get("src")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


def references(html: str) -> References:
    parser = References()
    parser.feed(html)
    return parser


@pytest.fixture
def client(settings: Settings, database: Database) -> TestClient:
    return TestClient(make_app(settings, database))


@sqlite_only
def test_the_docs_page_loads_nothing_from_elsewhere_and_has_no_inline_script(
    client: TestClient,
) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    found = references(page.text)
    assert found.urls, "the page references its assets"
    foreign = [u for u in found.urls if urlsplit(u).scheme or urlsplit(u).netloc]
    assert not foreign, foreign
    assert not found.inline_scripts, found.inline_scripts


@sqlite_only
def test_the_docs_page_is_served_under_the_consoles_policy(client: TestClient) -> None:
    policy = client.get("/console").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert client.get("/api/docs").headers.get("Content-Security-Policy") == policy


@sqlite_only
def test_each_asset_the_docs_page_references_is_served_here(client: TestClient) -> None:
    urls = references(client.get("/api/docs").text).urls
    scripts = [u for u in urls if u.endswith(".js")]
    assert len(scripts) >= 2, "Swagger UI's bundle and the page's own start-up script"
    assert any(u.endswith(".css") for u in urls)
    assert client.app.openapi_url in urls  # type: ignore[attr-defined]
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.content, url
        assert answer.headers["Content-Security-Policy"], url


def test_the_checks_see_foreign_and_inline_script() -> None:
    cdn = references(
        '<link href="https://cdn.example/ui.css"><script src="//cdn.example/ui.js"></script>'
        "<script>SwaggerUIBundle({})</script>"
    )
    assert [u for u in cdn.urls if urlsplit(u).netloc] == cdn.urls
    assert cdn.inline_scripts == ["SwaggerUIBundle({})"]
