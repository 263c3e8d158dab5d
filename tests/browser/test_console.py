"""The care console in a real browser: sign in, claim the top case, answer it with a
template, watch it leave the queue; a second agent finds it locked; a card number in a
public reply is stopped; hostile post text and author names stay text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import yaml
from playwright.sync_api import expect

from rapport.demo.accounts import DEMO_PASSWORD
from rapport.records import Author, Batch, Envelope, Post
from rapport.route.rules import RuleSet
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.slow

XSS = (
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    '"><svg onload=window.__xss=1>',
    "javascript:window.__xss=1",
    "<iframe srcdoc='<script>parent.__xss=1</script>'>",
)


def seed(server: LiveServer, texts: list[tuple[str, str, str]]) -> None:
    """Posts (source id, display name, text) that the rule routes to the cards queue."""
    from rapport.pipeline.route import RouteStage
    from rapport.tenancy.routing import TenantWorkflow, Workflows

    route = next(s for s in server.runner.stages if isinstance(s, RouteStage))
    like = route.workflows.by_tenant["default"].rules
    rules = RuleSet.parse(
        yaml.safe_load(
            "rules:\n  - id: cards\n    when: {query: card}\n    then: {route: cards}\n"
        ),
        calendars=like.calendars,
        load=like.load,
    )
    route.replace_workflows(Workflows([TenantWorkflow("default", rules, listens_to_all=True)]))
    now = datetime.now(UTC)
    posts = tuple(
        Envelope(
            post=Post(
                network="x", source_id=source_id, text=text,
                created_at=now - timedelta(minutes=10 - i),
                author=Author(source_id=f"a{source_id}", handle=f"user{source_id}",
                              display_name=name, followers=100 * (i + 1)),
            )
        )
        for i, (source_id, name, text) in enumerate(texts)
    )  # fmt: skip
    server.runner.process(Batch(source="browser test", items=posts))


def sign_in(page: Any, server: LiveServer, email: str) -> None:
    page.goto(server.url + "/console")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#queue .case-row")
    expect(page.locator("#login")).to_be_hidden()


def test_claim_reply_with_a_template_and_the_case_leaves_the_queue(
    live_server: LiveServer, browser: Any
) -> None:
    seed(live_server, [
        ("1", "Bo", "my card was stolen and someone spent 900 euros, awful"),
        ("2", "Cy", "is my new card arriving this week?"),
    ])  # fmt: skip
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server, "ana@demo.rapport")
    first = page.locator("#queue .case-row").first
    assert "@user1" in first.inner_text()  # the stolen card outranks the question
    first.click()
    page.wait_for_selector("#case:not([hidden])")
    page.click("#claim")
    expect(page.locator("#case-meta")).to_contain_text("claimed")
    page.select_option("#template", "resolved_thanks")
    expect(page.locator("#reply")).not_to_have_value("")
    assert "Bo" in page.input_value("#reply")
    page.click("#send")
    page.wait_for_selector("#thread .entry.reply")
    assert "Bo" in page.locator("#thread .entry.reply").first.inner_text()
    # What fits this customer is suggested with why, and goes into a reply in one click.
    expect(page.locator("#suggestions .suggestion").first).to_contain_text("why:")
    # One click corrects the sentiment of the customer's post.
    page.locator("#thread select.correct").first.select_option("positive")
    expect(page.locator("#toast")).to_contain_text("corrected to positive")
    expect(page.locator("#queue")).not_to_contain_text("@user1")
    context.close()


def test_a_second_agent_sees_the_case_locked(live_server: LiveServer, browser: Any) -> None:
    seed(live_server, [("1", "Bo", "card blocked at the till, help")])
    ana = browser.new_context().new_page()
    sign_in(ana, live_server, "ana@demo.rapport")
    ana.locator("#queue .case-row").first.click()
    ana.click("#claim")
    expect(ana.locator("#case-meta")).to_contain_text("claimed")

    omar = browser.new_context().new_page()
    sign_in(omar, live_server, "omar@demo.rapport")
    omar.locator("#queue .case-row").first.click()
    omar.wait_for_selector("#case:not([hidden])")
    assert "Locked" in omar.inner_text("#lock")
    assert omar.is_disabled("#send")
    ana.type("#reply", "typing an answer")
    expect(omar.locator("#case-viewers")).to_contain_text("Ana is typing", timeout=15000)


def test_a_card_number_in_a_public_reply_is_stopped(live_server: LiveServer, browser: Any) -> None:
    seed(live_server, [("1", "Bo", "charged twice on my card")])
    page = browser.new_context().new_page()
    sign_in(page, live_server, "ana@demo.rapport")
    page.locator("#queue .case-row").first.click()
    page.fill("#reply", "Is your card 4111 1111 1111 1111? Refund coming!")
    page.click("#send")
    expect(page.locator("#reply-error")).to_contain_text("private message")
    assert "private message" in page.inner_text("#reply-error")
    assert "4111 1111 1111 1111" not in page.inner_text("#reply-error")
    assert page.is_visible("#send-private")
    assert page.locator("#thread .entry.reply").count() == 0


def test_hostile_text_and_names_render_as_text(live_server: LiveServer, browser: Any) -> None:
    seed(live_server, [(str(i), payload, f"my card {payload}") for i, payload in enumerate(XSS)])
    page = browser.new_context().new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    sign_in(page, live_server, "ana@demo.rapport")
    for row in range(min(3, page.locator("#queue .case-row").count())):
        page.locator("#queue .case-row").nth(row).click()
        page.wait_for_selector("#thread .entry")
    page.goto(live_server.url + "/")
    page.wait_for_selector("#posts .post")
    shown = page.inner_text("#posts")
    assert "<script>window.__xss=1</script>" in shown or "onerror" in shown
    assert page.evaluate("window.__xss") is None
    assert page.locator("#posts img, #posts svg, #posts iframe, #posts script").count() == 0
    assert dialogs == []


def test_a_supervisor_approves_a_held_reply(live_server: LiveServer, browser: Any) -> None:
    import sqlalchemy as sa

    from rapport.store import schema

    seed(live_server, [("1", "Bo", "card charged twice, please refund")])
    live_server.database.write(
        lambda conn: conn.execute(
            sa.update(schema.users)
            .where(schema.users.c.email == "omar@demo.rapport")
            .values(needs_approval=True)
        )
    )
    omar = browser.new_context().new_page()
    sign_in(omar, live_server, "omar@demo.rapport")
    omar.locator("#queue .case-row").first.click()
    omar.fill("#reply", "Hey Bo, the refund is on its way!")
    omar.click("#send")
    expect(omar.locator("#toast")).to_contain_text("pending approval")

    sam = browser.new_context().new_page()
    sign_in(sam, live_server, "sam@demo.rapport")
    expect(sam.locator("#pending")).to_contain_text("the refund is on its way")
    sam.locator("#pending button", has_text="Approve").click()
    expect(sam.locator("#toast")).to_contain_text("Approved and sent")
    expect(sam.locator("#approvals")).to_be_hidden()
