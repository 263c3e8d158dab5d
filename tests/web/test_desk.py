"""Agents working cases: a claim keeps others off a case, the next case fits the agent,
assignment spreads by load, presence shows who is typing, notes, tags and snooze, replies
held for approval, and live events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from rapport.actions.presence import Presence
from rapport.auth import passwords
from rapport.auth.users import new_user
from rapport.care.channels import SimulatedNetwork
from rapport.care.desk import CaseDesk
from rapport.care.hub import Hub
from rapport.pipeline.build import analysis_stages, build_runner
from rapport.pipeline.persist import PersistStage
from rapport.pipeline.runner import Runner
from rapport.records import Author, Batch, Envelope
from rapport.route.rules import RuleSet
from rapport.settings import Settings
from rapport.store import Database, schema
from rapport.store.cases import queue
from rapport.store.users import insert_user
from rapport.web.app import create_app
from tests.conftest import make_post

PASSWORD = "correct horse battery staple"
RULES = "rules:\n  - id: cards\n    when: {query: 'card'}\n    then: {route: cards}\n"
TEXTS = [
    "my card was stolen in Madrid yesterday evening",
    "the card machine at the airport refused my payment",
    "why is my card blocked after the hotel booking",
    "card charged twice for one coffee this morning",
    "lost my card on the train, please freeze it",
]
USERS: list[dict[str, Any]] = [
    {"email": "ana@bank.test", "name": "Ana", "role": "agent", "languages": ["es", "en"]},
    {"email": "ben@bank.test", "name": "Ben", "role": "agent", "skills": ["fraud"]},
    {"email": "sue@bank.test", "name": "Sue", "role": "supervisor"},
    {"email": "tom@bank.test", "name": "Tom", "role": "agent", "needs_approval": True},
    {"email": "eve@other.test", "name": "Eve", "role": "supervisor", "tenant": "other"},
]


@pytest.fixture
def client(settings: Settings, database: Database) -> Iterator[TestClient]:
    previous = passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    hashed = passwords.hash_password(PASSWORD)
    for user in USERS:
        database.write(
            partial(insert_user, new=new_user(password_hash=hashed, teams=["cards"], **user))
        )
    app = create_app(settings, database, build_runner(settings, database))
    app.state.hub = Hub()
    with TestClient(app) as test_client:
        yield test_client
    passwords.use_hasher(previous)


def log_in(client: TestClient, email: str) -> None:
    client.cookies.clear()
    response = client.post("/api/v1/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]


def open_cases(database: Database, count: int) -> list[int]:
    """`count` new cases in the cards queue, each a different customer's post."""
    rules = RuleSet.parse(yaml.safe_load(RULES))
    runner = Runner([*analysis_stages(enrich=True, rules=rules),
                     PersistStage(database, CaseDesk(), hub=Hub())])  # fmt: skip
    now = datetime.now(UTC) - timedelta(minutes=5)
    posts = [
        make_post(f"p{i}", TEXTS[i], author=Author(source_id=f"c{i}", handle=f"cust{i}"),
                  created_at=now + timedelta(seconds=i))
        for i in range(count)
    ]  # fmt: skip
    runner.process(Batch(source="t", items=tuple(Envelope(post=p) for p in posts)))
    cases = schema.cases
    with database.reading() as conn:
        return [int(i) for i in conn.execute(sa.select(cases.c.id).order_by(cases.c.id)).scalars()]


def set_case(database: Database, case_id: int, **values: Any) -> None:
    cases = schema.cases
    database.write(lambda conn: conn.execute(
        sa.update(cases).where(cases.c.id == case_id).values(**values)))  # fmt: skip


def user_id(database: Database, email: str) -> int:
    users = schema.users
    with database.reading() as conn:
        return int(conn.execute(sa.select(users.c.id).where(users.c.email == email)).scalar_one())


def network(client: TestClient) -> SimulatedNetwork:
    found: SimulatedNetwork = client.app.state.reply_desk.channels["x"]  # type: ignore[attr-defined]
    return found


def test_a_claim_keeps_others_off_until_released(client: TestClient, database: Database) -> None:
    (case_id,) = open_cases(database, 1)
    hub: Hub = client.app.state.hub  # type: ignore[attr-defined]
    watching = hub.subscribe("default")
    log_in(client, "ana@bank.test")
    claimed = client.post(f"/api/v1/cases/{case_id}/claim")
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["assignee"]["name"] == "Ana"
    assert claimed.json()["claimed_at"] is not None
    event = watching.get(timeout=1)
    assert event is not None
    assert (event["id"], event["team"], event["change"]) == (case_id, "cards", "claimed")

    log_in(client, "ben@bank.test")
    taken = client.post(f"/api/v1/cases/{case_id}/claim")
    assert taken.status_code == 409
    assert "claimed by Ana" in taken.json()["detail"]
    assert client.post(f"/api/v1/cases/{case_id}/claim?force=true").status_code == 403
    assert client.post(f"/api/v1/cases/{case_id}/release").status_code == 409

    log_in(client, "eve@other.test")  # a supervisor, of another tenant
    assert client.post(f"/api/v1/cases/{case_id}/claim?force=true").status_code == 404

    log_in(client, "sue@bank.test")
    forced = client.post(f"/api/v1/cases/{case_id}/claim?force=true")
    assert forced.json()["assignee"]["name"] == "Sue"
    released = client.post(f"/api/v1/cases/{case_id}/release")
    assert released.json()["assignee"] is None
    log_in(client, "ben@bank.test")
    assert client.post(f"/api/v1/cases/{case_id}/claim").json()["assignee"]["name"] == "Ben"


def test_nobody_replies_or_notes_on_a_case_someone_else_holds(
    client: TestClient, database: Database
) -> None:
    (case_id,) = open_cases(database, 1)
    log_in(client, "ana@bank.test")
    client.post(f"/api/v1/cases/{case_id}/claim")
    log_in(client, "ben@bank.test")
    reply = client.post(f"/api/v1/cases/{case_id}/replies", json={"text": "Hi, DM us!"})
    assert reply.status_code == 409
    assert reply.json()["holder"]["name"] == "Ana"
    assert len(network(client).messages) == 0
    note = client.post(f"/api/v1/cases/{case_id}/notes", json={"text": "I'll take it"})
    assert note.status_code == 409
    assert "claimed by Ana" in note.json()["detail"]

    log_in(client, "ana@bank.test")
    mine = client.post(f"/api/v1/cases/{case_id}/notes", json={"text": "Customer is in Spain"})
    assert mine.status_code == 201
    assert client.post(f"/api/v1/cases/{case_id}/replies", json={"text": "Hi!"}).status_code == 201
    log_in(client, "sue@bank.test")  # supervisors may step in
    assert client.post(f"/api/v1/cases/{case_id}/notes", json={"text": "ok"}).status_code == 201
    notes = client.get(f"/api/v1/cases/{case_id}/notes?limit=1").json()
    assert [n["author"] for n in notes["items"]] == ["Ana"]
    more = client.get(f"/api/v1/cases/{case_id}/notes?cursor={notes['next_cursor']}").json()
    assert [n["text"] for n in more["items"]] == ["ok"]


def test_the_next_case_fits_my_languages_and_skills(client: TestClient, database: Database) -> None:
    german, fraud, spanish, anyone = open_cases(database, 4)
    set_case(database, german, priority=90, lang="de")
    set_case(database, fraud, priority=80, lang="en", skills='["fraud"]')
    set_case(database, spanish, priority=50, lang="es", skills='["lang:es"]')
    set_case(database, anyone, priority=10)
    log_in(client, "ana@bank.test")  # speaks es and en, no skills
    assert client.post("/api/v1/queues/cards/next").json()["id"] == spanish
    assert client.post("/api/v1/queues/cards/next").json()["id"] == anyone
    assert client.post("/api/v1/queues/cards/next").status_code == 204
    log_in(client, "ben@bank.test")  # lists no languages (speaks all), has fraud
    first = client.post("/api/v1/queues/cards/next").json()
    assert (first["id"], first["assignee"]["name"]) == (german, "Ben")
    assert client.post("/api/v1/queues/cards/next").json()["id"] == fraud
    assert client.post("/api/v1/queues/cards/next").status_code == 204


def test_assignment_spreads_by_load_within_capacity(client: TestClient, database: Database) -> None:
    ids = open_cases(database, 5)
    ana, ben = user_id(database, "ana@bank.test"), user_id(database, "ben@bank.test")
    tom = user_id(database, "tom@bank.test")
    users = schema.users
    database.write(lambda conn: conn.execute(
        sa.update(users).where(users.c.id == ana).values(capacity=1)))  # fmt: skip
    for rank, case_id in enumerate(ids):
        set_case(database, case_id, priority=90 - 10 * rank)
    set_case(database, ids[0], assignee_id=ben)  # Ben already holds one
    set_case(database, ids[4], skills='["wire-transfers"]')  # a skill nobody has
    log_in(client, "ana@bank.test")
    assert client.post("/api/v1/assign/run").status_code == 403
    log_in(client, "sue@bank.test")
    assert client.post("/api/v1/assign/run").json() == {"assigned": 3, "unassigned": 1}
    cases = schema.cases
    with database.reading() as conn:
        holders = dict(conn.execute(sa.select(cases.c.id, cases.c.assignee_id)).all())
    # ids[1]: Ana and Tom are free (0) and Ana comes first; ids[2]: Tom (0) has the fewest;
    # ids[3]: Ana is full (1 of 1), Ben and Tom are even at 1, and the turn after Tom wraps
    # round to Ben. Sue supervises and gets no cases.
    assert [holders[i] for i in ids] == [ben, ana, tom, ben, None]


def test_presence_shows_who_is_typing_and_lapses(client: TestClient, database: Database) -> None:
    (case_id,) = open_cases(database, 1)
    now = [datetime(2026, 11, 2, 9, 0, tzinfo=UTC)]
    client.app.state.presence = Presence(database, clock=lambda: now[0])  # type: ignore[attr-defined]
    log_in(client, "ben@bank.test")
    client.post(f"/api/v1/cases/{case_id}/presence", json={"typing": True})
    log_in(client, "ana@bank.test")
    now[0] += timedelta(seconds=5)
    seen = client.post(f"/api/v1/cases/{case_id}/presence", json={"typing": False}).json()
    assert [(v["name"], v["typing"]) for v in seen["viewers"]] == [("Ben", True), ("Ana", False)]
    now[0] += timedelta(seconds=16)  # Ben's last heartbeat is 21 s old, Ana's 16 s
    assert client.post(f"/api/v1/cases/{case_id}/presence", json={}).json()["viewers"] == [
        {"user_id": user_id(database, "ana@bank.test"), "name": "Ana", "typing": False,
         "since": "2026-11-02T09:00:05+00:00"},
    ]  # fmt: skip
    now[0] += timedelta(seconds=21)
    assert client.app.state.presence.viewers(case_id) == []  # type: ignore[attr-defined]


def test_notes_tags_and_snooze(client: TestClient, database: Database) -> None:
    (case_id,) = open_cases(database, 1)
    log_in(client, "ana@bank.test")
    bad = client.put(f"/api/v1/cases/{case_id}/tags", json={"tags": ["no spaces"]})
    assert bad.status_code == 422
    many = client.put(f"/api/v1/cases/{case_id}/tags", json={"tags": [f"t{i}" for i in range(21)]})
    assert many.status_code == 422
    tagged = client.put(f"/api/v1/cases/{case_id}/tags", json={"tags": ["vip", "fraud-risk"]})
    assert tagged.json()["tags"] == ["vip", "fraud-risk"]
    assert client.post(f"/api/v1/cases/{case_id}/notes", json={"text": ""}).status_code == 422

    now = datetime.now(UTC)
    for wrong in (now - timedelta(minutes=1), now + timedelta(days=31)):
        response = client.post(f"/api/v1/cases/{case_id}/snooze", json={"until": wrong.isoformat()})
        assert response.status_code == 422
    until = now + timedelta(hours=2)
    snoozed = client.post(f"/api/v1/cases/{case_id}/snooze", json={"until": until.isoformat()})
    assert snoozed.status_code == 200
    with database.reading() as conn:
        assert queue(conn, "cards") == []
        later = queue(conn, "cards", now=until + timedelta(seconds=1))
        assert [c.id for c in later] == [case_id]
    # The queue's counts agree with the queue: a snoozed case is counted apart.
    (cards,) = [q for q in client.get("/api/v1/queues").json()["items"] if q["team"] == "cards"]
    assert (cards["open"], cards["snoozed"]) == (0, 1)
    client.delete(f"/api/v1/cases/{case_id}/snooze")
    with database.reading() as conn:
        assert [c.id for c in queue(conn, "cards")] == [case_id]
        assert queue(conn, "cards")[0].snoozed_until is None


def test_a_reply_waiting_for_approval_is_sent_once_when_approved(
    client: TestClient, database: Database
) -> None:
    first, second = open_cases(database, 2)
    log_in(client, "tom@bank.test")  # needs approval
    held = client.post(f"/api/v1/cases/{first}/replies", json={"text": "Hi, we're on it!"})
    assert (held.status_code, held.json()["status"]) == (202, "pending_approval")
    client.post(f"/api/v1/cases/{second}/replies", json={"text": "Whatever, mate"})
    assert len(network(client).messages) == 0
    assert client.get("/api/v1/replies/pending").status_code == 403

    log_in(client, "eve@other.test")
    assert client.get("/api/v1/replies/pending").json()["items"] == []
    assert client.post(f"/api/v1/replies/{held.json()['id']}/approve").status_code == 404
    log_in(client, "sue@bank.test")
    pending = client.get("/api/v1/replies/pending?limit=1").json()
    assert [r["text"] for r in pending["items"]] == ["Hi, we're on it!"]
    assert pending["next_cursor"] is not None
    approved = client.post(f"/api/v1/replies/{held.json()['id']}/approve")
    assert approved.status_code == 201
    assert approved.json()["approved_by"] == user_id(database, "sue@bank.test")
    assert client.post(f"/api/v1/replies/{held.json()['id']}/approve").status_code == 409
    assert [m[0].text for m in network(client).messages] == ["Hi, we're on it!"]

    other = client.get(f"/api/v1/replies/pending?cursor={pending['next_cursor']}").json()["items"]
    rejected = client.post(f"/api/v1/replies/{other[0]['id']}/reject", json={"reason": "tone"})
    assert rejected.json()["status"] == "rejected"
    assert len(network(client).messages) == 1
    assert client.get("/api/v1/replies/pending").json()["items"] == []


def test_events_stream_my_tenants_case_changes(client: TestClient, database: Database) -> None:
    (case_id,) = open_cases(database, 1)
    log_in(client, "ana@bank.test")
    with client.stream("GET", "/api/v1/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        lines = stream.iter_lines()
        assert next(lines) == "retry: 3000"  # subscribed
        client.post(f"/api/v1/cases/{case_id}/claim")
        data = next(line for line in lines if line.startswith("data: "))
    assert '"change":"claimed"' in data
    assert f'"id":{case_id}' in data
