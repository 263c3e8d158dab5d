"""Recommendations in the case view: the items that fit the case now with why, marked
shown once; used and taken up recorded once and audit-logged; ranking that learns per
tenant; a catalogue file in place of the built-in."""

from __future__ import annotations

import dataclasses
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from rapport.care import recommend as rec
from rapport.settings import Settings
from rapport.store import Database, schema
from rapport.store import recommendations as store
from rapport.store.audit import list_entries
from rapport.web.api import recommendations
from tests.web.test_access import (
    add_user,
    admin_client,
    cheap_hashing,
    ingest,
    log_in,
    make_app,
    open_case,
    wire,
)

__all__ = ["cheap_hashing"]
CHARGED = "me cobraron dos veces, quiero un reembolso"


@dataclass
class Desk:
    admin: TestClient
    agent: TestClient
    database: Database


@pytest.fixture
def desk(settings: Settings, database: Database) -> Iterator[Desk]:
    app = make_app(settings, database)  # includes recommendations.router
    app.dependency_overrides[recommendations.sampler] = lambda: random.Random(3)
    add_user(database, "ana@bank.test", "agent")
    with admin_client(app, database) as admin:
        agent = TestClient(app)
        log_in(agent, "ana@bank.test")
        yield Desk(admin, agent, database)
        agent.close()


def a_case(desk: Desk, source_id: str, text: str, *, intent: str | None, lang: str = "es",
           author: str = "77") -> int:  # fmt: skip
    [post_id] = ingest(desk.admin, wire(source_id, text, author=author))
    case_id = open_case(desk.database, post_id, lang=lang, author=author)
    cases = schema.cases
    desk.database.write(
        lambda conn: conn.execute(
            sa.update(cases).where(cases.c.id == case_id).values(intent=intent)
        )
    )
    return case_id


def events(database: Database, case_id: int) -> list[tuple[str, str]]:
    table = schema.recommendation_events
    with database.reading() as conn:
        rows = conn.execute(
            sa.select(table.c.item_id, table.c.event).where(table.c.case_id == case_id)
        ).all()
    return sorted((row.item_id, row.event) for row in rows)


def test_the_case_view_shows_what_fits_now_with_why_and_marks_it_shown(desk: Desk) -> None:
    case_id = a_case(desk, "1", CHARGED, intent="transaction_charged_twice")
    url = f"/api/v1/cases/{case_id}/recommendations"
    response = desk.agent.get(url)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ranking"] == "match"
    assert [i["id"] for i in body["items"]] == ["dispute_tracker", "spending_alerts"]
    best = body["items"][0]
    assert best["lang"] == "es"
    assert best["pitch"] == {i.id: i for i in rec.load_catalogue()}["dispute_tracker"].pitch["es"]
    assert best["why"] == ["intent transaction_charged_twice",
                           "keyword 'reembolso', 'cobraron dos veces'"]  # fmt: skip
    assert best["strength"] == best["score"] == 2.0
    assert best["stats"] == {"shown": 0, "used": 0, "taken_up": 0}
    assert (best["used"], best["taken_up"]) == (False, False)
    shown = [("dispute_tracker", "shown"), ("spending_alerts", "shown")]
    assert events(desk.database, case_id) == shown
    assert desk.agent.get(url).status_code == 200
    assert events(desk.database, case_id) == shown  # once per case

    english = a_case(desk, "2", "my card was stolen", intent=None, lang="ja", author="88")
    [freeze] = desk.agent.get(f"/api/v1/cases/{english}/recommendations").json()["items"]
    assert (freeze["id"], freeze["lang"], freeze["why"]) == ("card_freeze", "en",
                                                             ["keyword 'stolen'"])  # fmt: skip
    nothing = a_case(desk, "3", "hello", intent="other", author="99")
    assert desk.agent.get(f"/api/v1/cases/{nothing}/recommendations").json()["items"] == []
    assert desk.agent.get("/api/v1/cases/999999/recommendations").status_code == 404


def test_used_and_taken_up_are_recorded_once_and_audited(desk: Desk) -> None:
    case_id = a_case(desk, "1", CHARGED, intent="transaction_charged_twice")
    base = f"/api/v1/cases/{case_id}/recommendations"
    first = desk.agent.post(f"{base}/dispute_tracker/used")
    assert first.status_code == 201, first.text
    assert first.json() == {"case_id": case_id, "item_id": "dispute_tracker", "event": "used",
                            "recorded": True}  # fmt: skip
    again = desk.agent.post(f"{base}/dispute_tracker/used")
    assert (again.status_code, again.json()["recorded"]) == (200, False)
    assert desk.agent.post(f"{base}/dispute_tracker/taken_up").status_code == 201
    assert events(desk.database, case_id) == [
        ("dispute_tracker", "shown"),
        ("dispute_tracker", "taken_up"),
        ("dispute_tracker", "used"),
    ]
    missing = desk.agent.post(f"{base}/no_such_item/used")
    assert (missing.status_code, "catalogue" in missing.json()["detail"]) == (404, True)
    assert (
        desk.agent.post("/api/v1/cases/999999/recommendations/card_freeze/used").status_code == 404
    )

    view = desk.agent.get(base).json()
    assert view["ranking"] == "thompson"
    top = {i["id"]: i for i in view["items"]}["dispute_tracker"]
    assert (top["used"], top["taken_up"]) == (True, True)
    assert top["stats"] == {"shown": 1, "used": 1, "taken_up": 1}
    catalogue = desk.agent.get("/api/v1/recommendations/catalogue").json()
    assert catalogue["source"] == "built_in"
    assert len(catalogue["items"]) == len(rec.load_catalogue())
    stats = {i["id"]: i["stats"] for i in catalogue["items"]}
    assert stats["dispute_tracker"] == {"shown": 1, "used": 1, "taken_up": 1}
    assert stats["spending_alerts"] == {"shown": 1, "used": 0, "taken_up": 0}
    with desk.database.reading() as conn:
        entries = list_entries(conn, "default")
    assert [e.action for e in entries][:2] == ["recommendation.taken_up", "recommendation.used"]


def test_ranking_learns_from_what_customers_take_up_per_tenant(desk: Desk) -> None:
    """The intent-and-keyword match is stronger, but customers took up the other item on
    every case it was shown and the stronger one on none."""
    earlier = [a_case(desk, str(n), CHARGED, intent="transaction_charged_twice", author=str(n))
               for n in range(100, 120)]  # fmt: skip

    def history(conn: sa.Connection) -> None:
        for case_id in earlier:
            store.record_shown(conn, "default", case_id, ["dispute_tracker", "spending_alerts"])
            store.record(conn, "default", case_id, "spending_alerts", "taken_up")

    desk.database.write(history)
    case_id = a_case(desk, "1", CHARGED, intent="transaction_charged_twice")
    view = desk.agent.get(f"/api/v1/cases/{case_id}/recommendations").json()
    assert view["ranking"] == "thompson"
    assert [i["id"] for i in view["items"]] == ["spending_alerts", "dispute_tracker"]
    assert view["items"][0]["stats"] == {"shown": 20, "used": 0, "taken_up": 20}

    other = admin_client(desk.admin.app, desk.database, tenant="other")  # type: ignore[arg-type]
    [post_id] = ingest(other, wire("9", CHARGED, author="55"))
    theirs = open_case(desk.database, post_id, tenant="other", lang="es", author="55")
    assert desk.agent.get(f"/api/v1/cases/{theirs}/recommendations").status_code == 404
    stats = other.get("/api/v1/recommendations/catalogue").json()["items"]
    assert all(i["stats"]["shown"] == 0 for i in stats)  # another tenant learns on its own
    other.close()


def test_a_catalogue_file_replaces_the_built_in(
    settings: Settings, database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_text(
        "items:\n  - id: hello_offer\n    kind: offer\n    title: Hello\n"
        "    pitch: {en: Hi there, es: Hola}\n    triggers: {keywords: [reembolso]}\n"
    )
    app = make_app(dataclasses.replace(settings, catalogue=str(path)), database)
    with admin_client(app, database) as admin:
        [post_id] = ingest(admin, wire("1", CHARGED))
        case_id = open_case(database, post_id, lang="es")
        view = admin.get(f"/api/v1/cases/{case_id}/recommendations").json()
        assert [(i["id"], i["pitch"]) for i in view["items"]] == [("hello_offer", "Hola")]
        listing = admin.get("/api/v1/recommendations/catalogue").json()
        assert (listing["source"], len(listing["items"])) == ("custom", 1)
        path.write_text("items: [")
        os.utime(path, ns=(1, 2_000_000_000))
        broken = admin.get(f"/api/v1/cases/{case_id}/recommendations")
        assert broken.status_code == 503
        assert "not valid YAML" in broken.json()["detail"]
