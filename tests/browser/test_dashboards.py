"""The dashboards in a real browser: every chart is drawn, with data, by the chart package
installed from the npm registry."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from rapport.demo.accounts import DEMO_PASSWORD
from rapport.store import schema
from tests.browser.conftest import LiveServer
from tests.browser.test_console import seed

pytestmark = pytest.mark.slow
CHARTS = ("volume", "intents", "trend", "response", "nps", "staffing", "influencers", "spikes")


def test_each_dashboard_chart_renders_with_data(live_server: LiveServer, browser: Any) -> None:
    seed(live_server, [
        ("1", "Bo", "my card was stolen, awful"),
        ("2", "Cy", "card declined again at the shop"),
        ("3", "Di", "where is my new card?"),
    ])  # fmt: skip
    now = datetime.now(UTC)

    def answered(conn: sa.Connection) -> None:
        cases = conn.execute(sa.select(schema.cases.c.id, schema.cases.c.team)).all()
        for score, (case_id, team) in zip((10, 9, 3), cases, strict=False):
            conn.execute(sa.insert(schema.case_events), {
                "case_id": case_id, "at": now - timedelta(minutes=2), "kind": "agent_reply",
            })  # fmt: skip
            conn.execute(sa.insert(schema.alerts), {
                "kind": "spike", "subject_kind": "hashtag", "subject": f"tag{case_id}",
                "window_start": now, "detected_at": now, "count": 40, "expected": 4.0,
                "z": 9.0, "message": "spike",
            })  # fmt: skip
            conn.execute(sa.insert(schema.surveys), {
                "case_id": case_id, "network": "x", "customer_id": f"a{case_id}",
                "team": team, "asked_at": now, "answered_at": now, "score": score,
            })  # fmt: skip

    live_server.database.write(answered)
    page = open_dashboards(live_server, browser)
    for chart in CHARTS:
        points = page.evaluate(
            "id => { const c = window.Chart.getChart(document.getElementById(id));"
            " return c ? c.data.datasets[0].data.filter(v => v !== null).length : -1; }",
            chart,
        )
        assert points > 0, chart
    csv = page.request.get(live_server.url + "/api/v1/reports/nps?by=week&format=csv").text()
    assert csv.splitlines()[0].startswith("key,promoters")


def open_dashboards(live_server: LiveServer, browser: Any) -> Any:
    """Signed in as the demo's supervisor, the dashboards page with every chart loaded."""
    page = browser.new_context().new_page()
    page.goto(live_server.url + "/console")
    page.fill("#email", "sam@demo.rapport")
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#queue .case-row")
    page.goto(live_server.url + "/dashboards")
    expect(page.locator("#status")).to_have_text("")
    return page


STACKED = (
    "id => { const c = window.Chart.getChart(document.getElementById(id));"
    " return c ? c.data.datasets.map(d => d.label + '=' + d.data.reduce((a, b) => a + b, 0))"
    ".join(' ') : ''; }"
)


def test_the_sentiment_trend_stacks_and_filters_by_language(
    live_server: LiveServer, browser: Any
) -> None:
    seed(live_server, [
        ("1", "Bo", "my card was stolen, awful, I hate this bank"),
        ("2", "Cy", "thank you so much, my new card works, great service"),
        ("3", "Di", "mi tarjeta fue robada, horrible"),
    ])  # fmt: skip
    page = open_dashboards(live_server, browser)
    totals = dict(t.split("=") for t in page.evaluate(STACKED, "trend").split())
    assert set(totals) >= {"negative", "neutral", "positive"}
    assert sum(int(n) for n in totals.values()) == 3  # every seeded post, stacked by sentiment
    assert int(totals["negative"]) >= 1

    # Only the Spanish posts: the chart is drawn again and the CSV link follows the filter.
    page.select_option("#trend-filter", "lang:es")
    csv_link = page.locator("#trend-csv")
    expect(csv_link).to_have_attribute("href", re.compile(r"by=lang&key=es&format=csv"))
    spanish = dict(t.split("=") for t in page.evaluate(STACKED, "trend").split())
    assert sum(int(n) for n in spanish.values()) == 1
    csv = page.request.get(live_server.url + str(csv_link.get_attribute("href"))).text()
    assert csv.splitlines()[0] == "key,negative,neutral,positive,unscored,total"
