"""/api/docs in a real browser with no network beyond this machine, as on a fresh demo
machine: Swagger UI loads from this server and lists every operation, and the page's
Content-Security-Policy, the console's, refuses nothing it needs."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.slow

# Runs before the page's own scripts (and outside its policy), so every refusal is seen.
_RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_the_api_docs_render_offline_under_the_consoles_policy(
    live_server: LiveServer, browser: Any
) -> None:
    document = httpx.get(live_server.url + "/api/v1/openapi.json").json()
    operations = sum(len(methods) for methods in document["paths"].values())
    context = browser.new_context()
    elsewhere: list[str] = []

    def only_this_machine(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_this_machine)
    context.add_init_script(_RECORD_VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(live_server.url + "/api/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() == operations
    assert page.locator(".opblock-summary-path", has_text="/api/v1/posts/{post_id}").count()
    assert page.evaluate("window.__violations") == []
    assert elsewhere == []
    assert errors == []
    context.close()
