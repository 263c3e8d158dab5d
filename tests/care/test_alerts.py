"""Alerts: a burst in the stream raises one stored spike alert; viral posts are reported once;
an SLA breach escalates its case once; the webhook gets each alert, signed, even after the
endpoint was down."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import orjson
import pytest
import sqlalchemy as sa
import yaml

from rapport.actions.sla import SlaWatch
from rapport.actions.webhooks import WebhookNotifier
from rapport.care.desk import CaseDesk
from rapport.care.sla_book import SlaBook
from rapport.pipeline.build import analysis_stages
from rapport.pipeline.persist import PersistStage
from rapport.pipeline.runner import Runner
from rapport.records import Alert, Author, Batch, Envelope, Post
from rapport.route.rules import RuleSet
from rapport.score.viral import ViralTracker
from rapport.score.volume import VolumeTracker
from rapport.sla import SlaConfig
from rapport.store import Database, schema
from rapport.store.alerts import insert_alerts, list_alerts
from rapport.store.locks import exclusive
from tests.conftest import make_post

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def stream(minutes: int, per_minute: int, start: datetime, text: str, tag: str) -> list[Post]:
    step = 60 / per_minute
    return [
        make_post(
            f"{tag}-{m}-{i}",
            f"{text} #{tag}",
            author=Author(source_id=f"u{m}-{i}", handle=f"u{m}_{i}"),
            created_at=start + timedelta(minutes=m, seconds=i * step),
        )
        for m in range(minutes)
        for i in range(per_minute)
    ]


def test_a_burst_raises_one_spike_alert_and_marks_its_posts(database: Database) -> None:
    volume = VolumeTracker(window_seconds=60, warm_up_windows=10, min_count=10)
    stages = [*analysis_stages(enrich=True, volume=volume), PersistStage(database)]
    runner = Runner(stages)
    quiet = stream(30, 2, T0, "nice weather today", "weather")  # 2 a minute for 30 minutes
    burst = stream(1, 60, T0 + timedelta(minutes=30), "the app is down again", "weather")
    seen: list[Envelope] = []
    for chunk in (quiet, burst):
        for start in range(0, len(chunk), 50):
            batch = Batch(
                source="t", items=tuple(Envelope(post=p) for p in chunk[start : start + 50])
            )
            seen += runner.process(batch).items

    with database.reading() as conn:
        spikes = [a for a in list_alerts(conn) if a.subject == "weather"]
    assert len(spikes) == 1
    assert spikes[0].subject_kind == "hashtag"
    assert spikes[0].window_start == T0 + timedelta(minutes=30)
    assert spikes[0].z >= 4
    in_spike = [e for e in seen if "hashtag:weather" in e.spikes]
    assert in_spike
    assert all(e.post.created_at >= T0 + timedelta(minutes=30) for e in in_spike)
    factors = {f.name: f for f in in_spike[-1].priority.factors} if in_spike[-1].priority else {}
    assert factors["spike"].contribution > 0


def test_a_post_drawing_fast_replies_goes_viral_once() -> None:
    tracker = ViralTracker(window=timedelta(minutes=10), threshold=20)
    replies = [
        make_post(f"r{i}", "so true", reply_to_id="root", created_at=T0 + timedelta(seconds=20 * i))
        for i in range(40)
    ]
    found = [v for r in replies if (v := tracker.add(r)) is not None]
    assert len(found) == 1
    assert found[0].source_id == "root"
    assert found[0].count == 20
    slow = ViralTracker(window=timedelta(minutes=10), threshold=20)
    trickle = [
        make_post(f"s{i}", "ok", reply_to_id="calm", created_at=T0 + timedelta(minutes=i))
        for i in range(60)
    ]
    assert [slow.add(p) for p in trickle] == [None] * len(trickle)


SLA = """
policies:
  quick: {calendar: always, first_response: 15m, warn_at: 0.5}
teams: {default: quick}
"""


def open_quick_case(database: Database) -> SlaBook:
    """One case in `cards` opened at T0, on a 15-minute first-response clock."""
    book = SlaBook(SlaConfig.parse(yaml.safe_load(SLA)))
    rules = RuleSet.parse(
        {"rules": [{"id": "all", "when": {"query": "card"}, "then": {"route": "cards"}}]}
    )
    desk = CaseDesk(sla=book, clock=lambda: T0)
    Runner([*analysis_stages(enrich=True, rules=rules), PersistStage(database, desk)]).process(
        Batch(source="t", items=(Envelope(post=make_post("1", "my card is blocked, help")),))
    )
    return book


def test_a_breach_escalates_the_case_once(database: Database) -> None:
    book = open_quick_case(database)
    states = []
    for minutes in (5, 10, 20, 30):
        moment = T0 + timedelta(minutes=minutes)
        watch = SlaWatch(database, book, clock=lambda: moment)  # noqa: B023 - used at once
        watch.run_once()
        with database.reading() as conn:
            row = conn.execute(sa.select(schema.cases)).one()
        states.append((row.sla_state, bool(row.escalated)))
    assert states == [("ok", False), ("warning", False), ("breached", True), ("breached", True)]
    with database.reading() as conn:
        kinds = [k for (k,) in conn.execute(sa.select(schema.case_events.c.kind))]
        alerts = list_alerts(conn, kind="sla_breach")
    assert kinds.count("sla_warning") == 1
    assert kinds.count("sla_breach") == 1
    assert len(alerts) == 1


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []
    fail = False

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if type(self).fail:
            self.send_response(503)
            self.end_headers()
            return
        type(self).received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    _Receiver.received, _Receiver.fail = [], False
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def test_the_webhook_gets_every_alert_signed_even_after_an_outage(
    database: Database, receiver: str
) -> None:
    alert = Alert(kind="spike", subject_kind="hashtag", subject="down", window_start=T0,
                  detected_at=T0, count=80, expected=4.0, z=9.1, message="#down")  # fmt: skip
    database.write(partial(insert_alerts, alerts=[alert], deliver=True))
    notifier = WebhookNotifier(database, receiver, secret="s3cret")
    _Receiver.fail = True
    assert notifier.deliver_pending() == (0, True)
    _Receiver.fail = False
    assert notifier.deliver_pending() == (1, False)
    assert notifier.deliver_pending() == (0, False)  # delivered once
    notifier.stop()

    headers, body = _Receiver.received[0]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Rapport-Signature"] == expected
    assert orjson.loads(body)["subject"] == "down"
    with database.reading() as conn:
        stored = list_alerts(conn)[0]
    assert (stored.delivery, stored.attempts) == ("delivered", 2)


def test_one_watch_sweeps_at_a_time(database: Database) -> None:
    """Several web-tier processes on one PostgreSQL: while one sweeps, the others skip."""
    book = open_quick_case(database)
    late = T0 + timedelta(minutes=30)
    with exclusive(database.engine, "sla watch") as first:
        assert first
        skipped = SlaWatch(database, book, clock=lambda: late).run_once()
        with database.reading() as conn:
            during = conn.execute(sa.select(schema.cases.c.sla_state)).scalar_one()
    after = SlaWatch(database, book, clock=lambda: late).run_once()
    if database.dialect == "postgresql":
        assert (skipped, during) == ([], "ok")
    else:  # one SQLite writer: nothing to share, every watch sweeps
        assert len(skipped) == 1
    assert [a.kind for a in after] == ([] if skipped else ["sla_breach"])
    with database.reading() as conn:
        assert conn.execute(sa.select(schema.cases.c.sla_state)).scalar_one() == "breached"
