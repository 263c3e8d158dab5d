"""Reply templates: built-ins in 12 languages, a tenant's own in their place, validation,
and one filled in for a case as plain text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rapport.care import reply_templates as rt
from rapport.care.privacy import find_personal_data
from rapport.settings import Settings
from rapport.store import Database
from rapport.store.audit import list_entries
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
LANGS = {"en", "es", "pt", "fr", "de", "it", "ar", "hi", "ru", "tr", "zh", "id"}
NAMES = {"received", "move_to_dm", "sorry_delay", "refund_processing", "card_on_its_way",
         "resolved_thanks"}  # fmt: skip


@pytest.fixture
def admin(settings: Settings, database: Database) -> Iterator[TestClient]:
    with admin_client(make_app(settings, database), database) as client:
        yield client


def test_the_built_ins_speak_all_twelve_languages_and_never_ask_for_data() -> None:
    assert set(rt.BUILT_IN) >= NAMES
    for name in NAMES:
        texts = rt.BUILT_IN[name]
        assert set(texts) >= LANGS, name
        for lang, text in texts.items():
            rt.check_key(name, lang)
            rt.check_text(text)
            assert "{name}" in text, (name, lang)
            filled = rt.fill(text, {"name": "Bo", "agent": "Ana", "case": "42", "brand": "Nova"})
            assert "{" not in filled
            assert find_personal_data(filled) == [], (name, lang)


def test_values_are_plain_text_never_placeholders_or_format_fields() -> None:
    text = "Hi {name}, {agent} here ({case}) from {brand}"
    values = {"name": "{agent} {0.__class__}", "agent": "Ana Lima", "case": "7", "brand": "N"}
    assert rt.fill(text, values) == "Hi {agent} {0.__class__}, Ana Lima here (7) from N"
    assert rt.fill("{name}", {"name": "x" * 100 + "\n"}) == "x" * 40


def test_list_put_delete_with_validation_and_audit(admin: TestClient, database: Database) -> None:
    listing = admin.get("/api/v1/templates", params={"limit": 500}).json()
    assert {(t["name"], t["lang"]) for t in listing["items"]} >= {(n, "ar") for n in NAMES}
    page = admin.get("/api/v1/templates", params={"limit": 5, "offset": 5}).json()
    assert len(page["items"]) == 5
    assert page["next_offset"] == 10

    url = "/api/v1/templates/sorry_delay/es"
    created = admin.put(url, json={"text": "¡Perdón {name}! Soy {agent}."})
    assert created.status_code == 201
    assert admin.put(url, json={"text": "¡Perdón, {name}!"}).status_code == 200
    mine = admin.get("/api/v1/templates", params={"name": "sorry_delay", "lang": "es"}).json()
    assert [(t["text"], t["source"]) for t in mine["items"]] == [("¡Perdón, {name}!", "tenant")]

    for bad_url, body, words in [
        ("/api/v1/templates/Bad-Name/en", {"text": "hi"}, "a-z, 0-9"),
        ("/api/v1/templates/ok/english", {"text": "hi"}, "2-letter"),
        ("/api/v1/templates/ok/en", {"text": "hi {card_number}"}, "unknown variable"),
        ("/api/v1/templates/ok/en", {"text": "   "}, "needs some text"),
    ]:
        refused = admin.put(bad_url, json=body)
        assert refused.status_code == 422, bad_url
        assert words in refused.json()["detail"]
    assert admin.put("/api/v1/templates/ok/en", json={"text": "x" * 2001}).status_code == 422

    deleted = admin.delete(url)
    assert deleted.status_code == 200
    assert deleted.json()["built_in"] == rt.BUILT_IN["sorry_delay"]["es"]
    assert admin.delete(url).status_code == 404
    with database.reading() as conn:
        actions = [e.action for e in list_entries(conn, "default")]
    assert actions[:3] == ["template.delete", "template.save", "template.save"]


def test_a_template_is_filled_in_for_the_case_language(
    admin: TestClient, database: Database
) -> None:
    [post_id] = ingest(admin, wire("1", "me cobraron dos veces"))
    es_case = open_case(database, post_id, lang="es")
    [post_id] = ingest(admin, wire("2", "charged twice", author="88"))
    ja_case = open_case(database, post_id, author="88", lang="ja")
    add_user(database, "ana.lima@bank.test", "agent")
    agent = TestClient(admin.app)
    log_in(agent, "ana.lima@bank.test")

    filled = agent.post(f"/api/v1/cases/{es_case}/template", json={"name": "sorry_delay"})
    assert filled.status_code == 200, filled.text
    assert filled.json()["lang"] == "es"
    assert filled.json()["text"] == rt.fill(
        rt.BUILT_IN["sorry_delay"]["es"],
        {"name": "Bo", "agent": "Ana.Lima", "case": str(es_case), "brand": "NovaCard"},
    )
    fallback = agent.post(f"/api/v1/cases/{ja_case}/template", json={"name": "resolved_thanks"})
    assert fallback.json()["lang"] == "en"
    assert "NovaCard" in fallback.json()["text"]

    admin.put("/api/v1/templates/resolved_thanks/en", json={"text": "Cheers {name} from {brand}"})
    own = agent.post(f"/api/v1/cases/{ja_case}/template", json={"name": "resolved_thanks"})
    assert own.json() == {"name": "resolved_thanks", "lang": "en", "source": "tenant",
                          "text": "Cheers Bo from NovaCard"}  # fmt: skip
    missing = agent.post(f"/api/v1/cases/{es_case}/template", json={"name": "nope"})
    assert missing.status_code == 404
    assert agent.post("/api/v1/cases/999999/template", json={"name": "received"}).status_code == 404
    agent.close()
