"""The guard stands at every gate a public reply passes: when it is written, when a
supervisor approves a held one, and at the channel just before the network; and template
names that carry personal data are left out of the reply."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from rapport.actions import replies as acting
from rapport.actions.base import Actor, Context
from rapport.care import reply_templates as rt
from rapport.care.channels import SimulatedNetwork
from rapport.care.channels.base import PersonalDataBlocked
from rapport.care.privacy import check_reply
from rapport.records.replies import Reply
from rapport.store import Database
from rapport.store.replies import begin_reply, reply_target
from tests.care.test_channels import reply
from tests.web.test_desk import client, log_in, network, open_cases, user_id

__all__ = ["client"]  # the fixture, used by name below

DISGUISED = "Refunded to 4111/1111/1111/1111, sorry!"


def hold(database: Database, case_id: int, author: int, *, private: bool, key: str) -> Reply:
    """A reply held for approval as it stands in the database, written before the guard
    learnt to read this disguise (the way in that the approval check closes)."""

    def job(conn: sa.Connection) -> Reply:
        target = reply_target(conn, case_id)
        held, _ = begin_reply(
            conn, target, text=DISGUISED, private=private, key=key, user_id=author,
            at=datetime.now(UTC), status="pending_approval",
        )  # fmt: skip
        return held

    return database.write(job)


def test_a_held_public_reply_with_personal_data_is_stopped_at_approval(
    client: TestClient, database: Database
) -> None:
    first, second = open_cases(database, 2)
    tom = user_id(database, "tom@bank.test")
    public = hold(database, first, tom, private=False, key="held-public")
    private = hold(database, second, tom, private=True, key="held-private")

    log_in(client, "sue@bank.test")
    refused = client.post(f"/api/v1/replies/{public.id}/approve")
    assert refused.status_code == 422, refused.text
    assert refused.json()["suggestion"] == "private"
    assert "4111" not in refused.text
    pending = client.get("/api/v1/replies/pending").json()["items"]
    assert {r["id"] for r in pending} == {public.id, private.id}  # still held, not lost
    assert network(client).messages == ()

    sent = client.post(f"/api/v1/replies/{private.id}/approve")
    assert sent.status_code == 201, sent.text
    assert [m[0].private for m in network(client).messages] == [True]


def test_the_channel_refuses_a_public_message_with_personal_data() -> None:
    channel = SimulatedNetwork(answer_probability=0.0)
    with pytest.raises(PersonalDataBlocked, match="private message") as refused:
        channel.send(reply("k1", text=DISGUISED))
    assert "4111" not in str(refused.value)
    nothing_sent = len(channel.messages)
    assert nothing_sent == 0
    # Refused before the key was claimed: the same key may still go out privately.
    sent = channel.send(reply("k1", text=DISGUISED, private=True))
    assert sent.status == "sent"
    assert [out.private for out, _ in channel.messages] == [True]


def test_a_reply_the_channel_refuses_is_failed_with_the_advice(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole path: the action hands the channel a public text the guard stops (the
    reply check before it is bypassed here), and the reply fails without leaking."""
    (case_id,) = open_cases(database, 1)
    desk = client.app.state.reply_desk  # type: ignore[attr-defined]
    monkeypatch.setattr(acting, "checked_text", lambda text, *, private: text)
    done = acting.send_reply(Context(database), desk, case_id, DISGUISED,
                             actor=Actor("default"), key="bypassed")  # fmt: skip
    assert done.status == "failed"
    assert done.error is not None
    assert "private message" in done.error
    assert "4111" not in done.error
    assert network(client).messages == ()


@pytest.mark.parametrize(
    "name",
    [
        "Ana call me +44 20 7946 0958",
        "ana at example dot com",
        "4111 1111 1111 1111",
        "Ana DE89-3704-0044-0532-0130-00",
    ],
)
def test_a_name_with_personal_data_is_left_out_of_a_template(name: str) -> None:
    for texts in rt.BUILT_IN.values():
        for text in texts.values():
            filled = rt.fill(text, {"name": name, "agent": "Robin", "case": "12", "brand": "Nova"})
            assert check_reply(filled).allowed, filled
            assert "{name}" not in filled
            assert "  " not in filled
            assert " ," not in filled
            assert filled[0] not in ",，!！ "


def test_a_clean_name_is_filled_in() -> None:
    text = rt.BUILT_IN["sorry_delay"]["en"]
    filled = rt.fill(text, {"name": "Ana María", "agent": "Robin", "case": "12", "brand": "N"})
    assert filled.startswith("Hey Ana María, sorry for the wait!")
    assert rt.fill("Thanks, {name}!", {"name": "ana at example dot com"}) == "Thanks!"
    assert rt.fill("Hey {name}, hi", {"name": "+44 20 7946 0958"}) == "Hey, hi"
    assert rt.fill("{name}你好，谢谢", {"name": "4111 1111 1111 1111"}) == "你好，谢谢"
