"""Sending an agent's reply: check it, write it to the outbox, send it once, record it.

1. A public reply with personal data in it (a card number, an account number, a phone
   number, an e-mail or postal address) is stopped before anything is written, and the
   agent is told what was found and offered the private-message route.
2. The reply is written as "sending" under its idempotency key; the same key again returns
   the first reply and sends nothing.
3. The channel sends it (outside any transaction: a network call must not hold the writer).
4. Sent: the reply is "sent", and an `agent_reply` event stops the case's response clock.
   Refused: "failed", with the network's words. Unknown (the request left, no answer came):
   "unknown", never retried by itself, since the customer may have it already.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from rapport.care.channels import Channel, ChannelError, DeliveryUnknown, Outgoing
from rapport.care.privacy import Finding, check_reply
from rapport.care.sla_book import SlaBook
from rapport.errors import InputError
from rapport.store import Database
from rapport.store.case_events import add_events, refresh_sla
from rapport.store.replies import begin_reply, finish_reply, reply_target

MAX_REPLY_CHARS = 10_000


class PersonalDataInReply(InputError):
    """A public reply would expose personal data; `findings` say what and where."""

    def __init__(self, advice: str, findings: tuple[Finding, ...]) -> None:
        super().__init__(advice)
        self.findings = findings


@dataclass
class ReplyDesk:
    database: Database
    channels: Mapping[str, Channel]
    sla: SlaBook
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def send(
        self,
        case_id: int,
        text: str,
        *,
        private: bool = False,
        key: str | None = None,
        user_id: int | None = None,
    ) -> dict[str, Any]:
        text = text.strip()
        if not text or len(text) > MAX_REPLY_CHARS:
            raise InputError(f"a reply needs 1 to {MAX_REPLY_CHARS:,} characters")
        if not private:
            check = check_reply(text)
            if not check.allowed:
                raise PersonalDataInReply(check.advice, check.findings)
        key = key or uuid.uuid4().hex
        now = self.clock()

        def begin(conn: Any) -> tuple[dict[str, Any], int, dict[str, Any] | None]:
            target = reply_target(conn, case_id)
            reply_id, earlier = begin_reply(
                conn, target, text=text, private=private, key=key, user_id=user_id, at=now
            )
            return target, reply_id, earlier

        target, reply_id, earlier = self.database.write(begin)
        if earlier is not None:
            return earlier
        channel = self.channels.get(target["network"])
        if channel is None:
            missing = f"no channel for {target['network']!r} is configured"
            return self.database.write(
                partial(finish_reply, reply_id=reply_id, status="failed", error=missing)
            )
        outgoing = Outgoing(
            case_id=case_id, network=target["network"], in_reply_to=target["in_reply_to"],
            recipient_id=target["customer_id"], recipient_handle=target["customer_handle"],
            text=text, private=private, idempotency_key=key,
            conversation_id=target["conversation_id"], lang=target["lang"],
        )  # fmt: skip
        try:
            sent = channel.send(outgoing)
        except ChannelError as error:
            status = "unknown" if isinstance(error, DeliveryUnknown) else "failed"
            return self.database.write(
                partial(finish_reply, reply_id=reply_id, status=status, error=str(error))
            )
        actor = f"user:{user_id}" if user_id is not None else "api"

        def record(conn: Any) -> dict[str, Any]:
            reply = finish_reply(
                conn, reply_id, status="sent", message_id=sent.message_id, at=sent.sent_at
            )
            add_events(conn, [(case_id, sent.sent_at, "agent_reply", actor)])
            refresh_sla(conn, self.sla, [case_id], sent.sent_at)
            return reply

        return self.database.write(record)
