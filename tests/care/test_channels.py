"""Outbound channels: X replies and DMs over real HTTP against a fake X, retried only where X
cannot have applied the request, never sent twice; and the demo's simulated network."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from rapport.care.channels import (
    ChannelError,
    DeliveryUnknown,
    Outgoing,
    RateLimited,
    Sent,
    SimulatedNetwork,
    XChannel,
)
from rapport.care.channels.simulated import ANSWERS, ID_BASE
from rapport.care.channels.x_v2 import weighted_length
from rapport.records import Post
from tests.care.fake_x import (
    DUPLICATE_CONTENT,
    UNAUTHORIZED,
    FakeX,
    Reply,
    rate_limited,
    unavailable,
)

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
TOKEN = "user-token-123"
CUSTOMER = "1600000000000000042"
POST_ID = "1700000000000000007"


class FakeClock:
    """A clock that only moves when the channel sleeps: waits are recorded, not spent."""

    def __init__(self) -> None:
        self.at = T0
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.at

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.at += timedelta(seconds=seconds)


def _never_sleep(seconds: float) -> None:
    pytest.fail(f"the channel waited {seconds}s to retry a request X may have applied")


def reply(
    key: str = "k1", text: str = "Sorry about that! We're on it.", **fields: object
) -> Outgoing:
    values: dict[str, object] = {
        "case_id": 7,
        "network": "x",
        "in_reply_to": POST_ID,
        "recipient_id": CUSTOMER,
        "recipient_handle": "alice",
        "text": text,
        "private": False,
        "idempotency_key": key,
    }
    values.update(fields)
    return Outgoing(**values)  # type: ignore[arg-type]


@pytest.fixture
def fake() -> Iterator[FakeX]:
    with FakeX() as server:
        yield server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def channel(fake: FakeX, clock: FakeClock) -> Iterator[XChannel]:
    with XChannel(
        TOKEN, base_url=fake.url, timeout=2.0, sleep=clock.sleep, clock=clock.now, max_wait=120
    ) as x:
        yield x


def test_a_reply_posts_the_documented_json_with_the_token(fake: FakeX, channel: XChannel) -> None:
    sent = channel.send(reply(text="We're on it, Alice"))

    [request] = fake.requests
    assert request.path == "/2/tweets"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.body == {
        "text": "We're on it, Alice",
        "reply": {"in_reply_to_tweet_id": POST_ID},
    }
    assert sent.message_id == "1800000000000000001"
    assert (sent.status, sent.private, sent.network, sent.sent_at) == ("sent", False, "x", T0)


def test_a_private_message_goes_to_the_dm_conversation_with_the_customer(
    fake: FakeX, channel: XChannel
) -> None:
    sent = channel.send(reply(private=True, in_reply_to=None, text="Can you DM your order id?"))

    [request] = fake.requests
    assert request.path == f"/2/dm_conversations/with/{CUSTOMER}/messages"
    assert request.body == {"text": "Can you DM your order id?"}
    assert sent.private
    assert sent.message_id == "1800000000000000001"  # the dm_event_id
    assert sent.conversation_id is not None
    assert CUSTOMER in sent.conversation_id


def test_a_rate_limit_waits_for_the_reset_and_posts_once(
    fake: FakeX, channel: XChannel, clock: FakeClock
) -> None:
    fake.script(rate_limited(int(T0.timestamp()) + 30))

    sent = channel.send(reply())

    assert len(fake.requests) == 2
    assert sent.status == "sent"
    assert 30 <= sum(clock.sleeps) <= 32  # waited for X's reset, not a guess


def test_a_rate_limit_past_the_longest_wait_is_handed_back_with_its_time(
    fake: FakeX, channel: XChannel, clock: FakeClock
) -> None:
    fake.script(rate_limited(int(T0.timestamp()) + 600))

    with pytest.raises(RateLimited) as raised:
        channel.send(reply())

    assert len(fake.requests) == 1
    assert clock.sleeps == []
    assert raised.value.retry_at >= T0 + timedelta(seconds=600)
    # Nothing was sent, so the same key may go out once the window opens.
    assert channel.send(reply()).status == "sent"


def test_service_unavailable_is_retried_with_growing_waits(
    fake: FakeX, channel: XChannel, clock: FakeClock
) -> None:
    fake.script(unavailable(503), unavailable(503))

    sent = channel.send(reply())

    assert len(fake.requests) == 3
    assert sent.status == "sent"
    assert clock.sleeps == [1.0, 2.0]


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_server_failure_mid_request_is_not_retried(
    fake: FakeX, channel: XChannel, clock: FakeClock, status: int
) -> None:
    fake.script(unavailable(status))

    with pytest.raises(DeliveryUnknown, match=str(status)):
        channel.send(reply())

    assert len(fake.requests) == 1
    assert clock.sleeps == []


def test_a_timeout_after_x_got_the_request_is_unknown_and_never_resent(fake: FakeX) -> None:
    fake.script(Reply(hold=True))
    with XChannel(TOKEN, base_url=fake.url, timeout=0.2, sleep=_never_sleep) as x:
        with pytest.raises(DeliveryUnknown, match="may have been posted"):
            x.send(reply())
        # The agent's retry with the same key must not post it a second time.
        with pytest.raises(DeliveryUnknown, match="new key"):
            x.send(reply())

    assert len(fake.requests) == 1


def test_the_same_key_twice_sends_once(fake: FakeX, channel: XChannel) -> None:
    first = channel.send(reply())
    second = channel.send(reply())

    assert len(fake.requests) == 1
    assert (first.status, second.status) == ("sent", "duplicate")
    assert second.message_id == first.message_id


def test_the_same_key_from_two_threads_at_once_sends_once(fake: FakeX, channel: XChannel) -> None:
    fake.script(Reply(delay=0.2))
    results: list[Sent] = []

    def click() -> None:
        results.append(channel.send(reply()))

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(fake.requests) == 1
    assert sorted(r.status for r in results) == ["duplicate", "sent"]


def test_a_refusal_carries_x_s_own_words(fake: FakeX, channel: XChannel) -> None:
    fake.script(DUPLICATE_CONTENT)

    with pytest.raises(ChannelError, match="duplicate content") as raised:
        channel.send(reply())

    assert not isinstance(raised.value, DeliveryUnknown)
    assert raised.value.status == 403
    assert len(fake.requests) == 1


def test_a_rejected_token_says_to_check_the_credentials(fake: FakeX, channel: XChannel) -> None:
    fake.script(UNAUTHORIZED)

    with pytest.raises(ChannelError, match="access token"):
        channel.send(reply())


def test_an_overlong_public_reply_is_refused_before_sending(fake: FakeX, channel: XChannel) -> None:
    with pytest.raises(ChannelError, match="280"):
        channel.send(reply(text="a" * 281))
    with pytest.raises(ChannelError, match="280"):
        channel.send(reply(key="k2", text="届" * 141))  # CJK counts double at X

    assert fake.requests == []
    # A long link counts as 23, so this fits; and a DM may be longer than a post.
    channel.send(reply(key="k3", text="a" * 250 + " https://example.com/" + "x" * 200))
    channel.send(reply(key="k4", text="a" * 600, private=True))
    assert len(fake.requests) == 2


def test_weighted_length_counts_as_x_does() -> None:
    assert weighted_length("hello") == 5
    assert weighted_length("こんにちは") == 10
    assert weighted_length("see https://example.com/a/very/long/path?q=1 now") == 4 + 23 + 4
    assert weighted_length("👍🏽") == 2
    assert weighted_length("👨‍👩‍👧") == 2


def test_an_unreachable_x_is_retried_and_then_reported_unsent(clock: FakeClock) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        XChannel(
            TOKEN, base_url=f"http://127.0.0.1:{port}", max_attempts=3, sleep=clock.sleep
        ) as x,
        pytest.raises(ChannelError, match="nothing was sent") as raised,
    ):
        x.send(reply())
    assert not isinstance(raised.value, DeliveryUnknown)
    assert clock.sleeps == [1.0, 2.0]


def test_a_reply_for_another_network_is_refused(channel: XChannel, fake: FakeX) -> None:
    with pytest.raises(ChannelError, match="'instagram'"):
        channel.send(reply(network="instagram"))
    assert fake.requests == []


def _demo(seed: int, answers: list[Post] | None = None) -> SimulatedNetwork:
    sink = answers if answers is not None else []
    return SimulatedNetwork(
        seed=seed,
        answer_probability=0.5,
        min_delay=timedelta(seconds=30),
        max_delay=timedelta(minutes=2),
        on_customer_reply=sink.append,
        clock=lambda: T0,
    )


def _converse(network: SimulatedNetwork) -> list[Post]:
    for n in range(40):
        network.send(reply(key=f"k{n}", conversation_id=f"c{n}", lang="es" if n % 2 else None))
    assert network.pump(T0 + timedelta(seconds=29)) == []  # nobody answers that fast
    return network.pump(T0 + timedelta(minutes=5))


def test_the_simulated_network_records_replies_and_customers_answer_back() -> None:
    answers: list[Post] = []
    network = _demo(seed=3, answers=answers)

    pumped = _converse(network)

    messages = network.messages
    assert len(messages) == 40
    assert len({sent.message_id for _, sent in messages}) == 40
    assert all(int(sent.message_id) > ID_BASE for _, sent in messages)
    assert 5 < len(pumped) < 35  # about half the customers answer
    assert answers == pumped  # the demo's callback saw each answer
    assert network.pending == 0
    by_id = {sent.message_id: (outgoing, sent) for outgoing, sent in messages}
    for post in pumped:
        outgoing, _ = by_id[post.reply_to_id or ""]
        assert post.author.source_id == CUSTOMER
        assert post.author.handle == "alice"
        assert post.conversation_id == outgoing.conversation_id
        assert post.created_at == T0 + timedelta(minutes=5)
        assert post.lang is not None
        assert post.text in ANSWERS[post.lang]
        if outgoing.lang == "es":
            assert post.lang == "es"
    assert network.send(reply(key="k0")).status == "duplicate"
    assert len(network.messages) == 40


def test_the_simulated_network_is_the_same_for_the_same_seed() -> None:
    def transcript(seed: int) -> list[tuple[str | None, str, str]]:
        return [(p.reply_to_id, p.source_id, p.text) for p in _converse(_demo(seed))]

    assert transcript(11) == transcript(11)
    assert transcript(11) != transcript(12)
