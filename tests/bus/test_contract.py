"""What every bus backend promises: durable messages, competing consumers, redelivery of
what was not acknowledged, one copy per message id, dead letters with their reasons."""

from __future__ import annotations

import re
import time

import pytest

from rapport.bus.base import Bus, Delivery
from rapport.errors import Unavailable
from tests.bus.conftest import ACK_WAIT, NATS_URL, BusFactory


def fetch_all(
    bus: Bus, topic: str, group: str, *, want: int, within: float = 10.0
) -> list[Delivery]:
    found: list[Delivery] = []
    deadline = time.monotonic() + within
    while len(found) < want and time.monotonic() < deadline:
        # A fetch that gives up before the server answers can leave the answer buffered for
        # the next one: give the server ample time, so each delivery is seen when it is made.
        found += bus.fetch(topic, group, limit=want - len(found), timeout=2.0)
    return found


def test_published_messages_reach_the_group_once_acknowledged(bus: Bus) -> None:
    for n in range(5):
        bus.publish("raw", f"m{n}".encode(), msg_id=f"id{n}")
    got = fetch_all(bus, "raw", "g", want=5)
    assert sorted(d.data for d in got) == [f"m{n}".encode() for n in range(5)]
    assert {d.attempt for d in got} == {1}
    for d in got:
        d.ack()
    assert bus.fetch("raw", "g", limit=5, timeout=ACK_WAIT + 0.5) == []
    assert bus.pending("raw", "g") == 0


def test_competing_workers_share_the_messages(bus: Bus) -> None:
    for n in range(6):
        bus.publish("raw", f"m{n}".encode(), msg_id=f"id{n}")
    first = fetch_all(bus, "raw", "g", want=3)
    second = fetch_all(bus, "raw", "g", want=3)
    assert {d.msg_id for d in first}.isdisjoint({d.msg_id for d in second})
    assert len({d.msg_id for d in first + second}) == 6


def test_a_repeated_message_id_is_stored_once(bus: Bus) -> None:
    bus.publish("raw", b"first", msg_id="same")
    bus.publish("raw", b"again", msg_id="same")
    (got,) = fetch_all(bus, "raw", "g", want=1)
    got.ack()
    assert got.data == b"first"
    assert bus.fetch("raw", "g", limit=1, timeout=0.5) == []


def test_an_unacknowledged_message_is_delivered_again(bus: Bus) -> None:
    bus.publish("raw", b"m", msg_id="x")
    assert len(fetch_all(bus, "raw", "g", want=1)) == 1
    # The worker that took it dies: no ack, no nak. After the wait another worker gets it.
    again = fetch_all(bus, "raw", "g", want=1, within=ACK_WAIT * 5)
    assert [d.msg_id for d in again] == ["x"]
    assert again[0].attempt >= 2  # 2, or more on a machine too busy to fetch within the wait
    assert bus.pending("raw", "g") == 1
    again[0].ack()
    assert bus.pending("raw", "g") == 0


def test_retry_gives_the_message_back_after_the_delay(bus: Bus) -> None:
    bus.publish("raw", b"m", msg_id="x")
    (taken,) = fetch_all(bus, "raw", "g", want=1)
    taken.retry(0.3)
    started = time.monotonic()
    (again,) = fetch_all(bus, "raw", "g", want=1)
    assert time.monotonic() - started >= 0.2
    assert again.attempt == 2


def test_working_keeps_a_slow_message_from_going_elsewhere(bus: Bus) -> None:
    bus.publish("raw", b"m", msg_id="x")
    (taken,) = fetch_all(bus, "raw", "g", want=1)
    for _ in range(4):
        time.sleep(ACK_WAIT / 2)
        taken.working()
    assert bus.fetch("raw", "g", limit=1, timeout=0.2) == []
    taken.ack()


def test_dead_letters_keep_the_message_and_the_reason(bus: Bus) -> None:
    bus.publish("raw", b"\xff not a batch", msg_id="bad")
    bus.publish("raw", b"good", msg_id="good")
    got = {d.msg_id: d for d in fetch_all(bus, "raw", "g", want=2)}
    bus.dead_letter("raw", got["bad"], "not a Rapport batch: expected a map")
    got["good"].ack()
    (letter,) = bus.dead_letters()
    assert (letter.topic, letter.msg_id, letter.data) == ("raw", "bad", b"\xff not a batch")
    assert letter.reason == "not a Rapport batch: expected a map"
    assert letter.attempts == 1
    # Settled: never delivered again.
    assert bus.fetch("raw", "g", limit=2, timeout=ACK_WAIT + 0.5) == []


def test_a_full_topic_refuses_until_its_workers_catch_up(bus_factory: BusFactory) -> None:
    bus = bus_factory(max_bytes=4096)
    for n in range(3):
        bus.publish("raw", bytes(1000), msg_id=f"m{n}")
    refused: list[Unavailable] = []
    for n in range(3, 8):  # NATS counts a little overhead per message: stop at the first no
        try:
            bus.publish("raw", bytes(1000), msg_id=f"m{n}")
        except Unavailable as exc:
            refused.append(exc)
            break
    assert refused, "a topic past its size took more"
    assert re.search(r"full|maximum bytes", str(refused[0]))
    for delivery in fetch_all(bus, "raw", "g", want=2):
        delivery.ack()
    bus.publish("raw", bytes(1000), msg_id="after")  # room again


def test_a_nats_cluster_is_named_by_its_servers(nats_available: bool, bus_prefix: str) -> None:
    if not nats_available:
        pytest.skip(f"no NATS at {NATS_URL}")
    from rapport.bus.backends.nats import NatsBus

    cluster = NatsBus(f"{NATS_URL}, {NATS_URL}", prefix=bus_prefix)  # as RAPPORT_BUS names it
    try:
        cluster.publish("raw", b"m", msg_id="x")
        assert cluster.pending("raw", "g") == 1
    finally:
        cluster.delete_streams()
        cluster.close()
