"""Sending an agent's reply: check it, write it to the outbox, send it once, record it.

1. A public reply with personal data in it (a card number, an account number, a phone
   number, an e-mail or postal address) is stopped before anything is written, and the
   agent is told what was found and offered the private-message route.
2. The reply is written as "sending" under its idempotency key; the same key again returns
   the first reply and sends nothing.
3. The channel sends it (outside any transaction: a network call must not hold the writer).
4. Sent: the reply is "sent", an `agent_reply` event stops the case's response clock, and
   the case waits on the customer (pending) until they write again.
   Refused: "failed", with the network's words. Unknown (the request left, no answer came):
   "unknown", never retried by itself, since the customer may have it already.

A reply by a user who `needs_approval` stops after step 2 as "pending_approval": nothing
leaves until a supervisor approves it (then steps 3 and 4 run exactly as for any reply, and
`approved_by` names the supervisor) or rejects it ("rejected", with the reason in `error`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import sqlalchemy as sa

from rapport.actions.sla import refresh_sla
from rapport.care.channels import Channel, ChannelError, DeliveryUnknown, Outgoing
from rapport.care.privacy import Finding, check_reply
from rapport.care.sla_book import SlaBook
from rapport.errors import InputError, NotFound
from rapport.store import Database, schema
from rapport.store.case_events import add_events
from rapport.store.replies import begin_reply, finish_reply, reply_from_row, reply_target

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
        needs_approval: bool = False,
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
            if earlier is None and needs_approval:
                # Held in the outbox, in the same transaction: never "sending" unapproved.
                earlier = finish_reply(conn, reply_id, status="pending_approval")
            return target, reply_id, earlier

        target, reply_id, earlier = self.database.write(begin)
        if earlier is not None:
            return earlier
        return self._deliver(target, reply_id, text, private=private, key=key, user_id=user_id)

    def pending(self, tenant: str, *, limit: int = 50, after: int | None = None) -> list[Any]:
        """The tenant's replies waiting for approval, oldest first (they have waited longest)."""
        replies, cases, users = schema.replies, schema.cases, schema.users
        query = (
            sa.select(replies, cases.c.team, users.c.name.label("author"))
            .select_from(
                replies.join(cases, cases.c.id == replies.c.case_id).outerjoin(
                    users, users.c.id == replies.c.user_id
                )
            )
            .where(replies.c.tenant == tenant, replies.c.status == "pending_approval")
            .order_by(replies.c.id)
            .limit(limit)
        )
        if after is not None:
            query = query.where(replies.c.id > after)
        with self.database.reading() as conn:
            return [reply_from_row(row) for row in conn.execute(query)]

    def approve(self, reply_id: int, tenant: str, approver_id: int) -> dict[str, Any]:
        """Send a pending reply as its author wrote it, recording who approved it."""

        def take(conn: sa.Connection) -> tuple[dict[str, Any], dict[str, Any]]:
            reply = _take_pending(conn, reply_id, tenant, "sending", approved_by=approver_id)
            target = reply_target(conn, reply["case_id"])
            target["in_reply_to"] = reply["in_reply_to"]  # the post the author answered
            return reply, target

        reply, target = self.database.write(take)
        return self._deliver(
            target, reply_id, reply["text"], private=reply["private"],
            key=reply["idempotency_key"], user_id=reply["user_id"],
        )  # fmt: skip

    def reject(self, reply_id: int, tenant: str, reviewer: str, reason: str = "") -> dict[str, Any]:
        because = f"rejected by {reviewer}" + (f": {reason}" if reason else "")
        return self.database.write(
            lambda conn: _take_pending(conn, reply_id, tenant, "rejected", error=because)
        )

    def _deliver(
        self,
        target: dict[str, Any],
        reply_id: int,
        text: str,
        *,
        private: bool,
        key: str,
        user_id: int | None,
    ) -> dict[str, Any]:
        case_id = target["case_id"]
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
            # Answered: the case now waits on the customer (it leaves the open queue and its
            # resolution clock pauses) until they write again, which wakes it.
            add_events(conn, [
                (case_id, sent.sent_at, "agent_reply", actor),
                (case_id, sent.sent_at, "waiting_on_customer", actor),
            ])  # fmt: skip
            conn.execute(
                sa.update(schema.cases)
                .where(schema.cases.c.id == case_id, schema.cases.c.status == "open")
                .values(status="pending", updated_at=sent.sent_at)
            )
            refresh_sla(conn, self.sla, [case_id], sent.sent_at)
            return reply

        return self.database.write(record)


def _take_pending(
    conn: sa.Connection, reply_id: int, tenant: str, status: str, **values: Any
) -> dict[str, Any]:
    """Move a pending reply on to `status`; conditional on it still pending, so a reply is
    approved (and sent) once even when two supervisors click at the same moment."""
    replies = schema.replies
    done = conn.execute(
        sa.update(replies)
        .where(
            replies.c.id == reply_id,
            replies.c.tenant == tenant,
            replies.c.status == "pending_approval",
        )
        .values(status=status, **values)
    )
    row = conn.execute(
        sa.select(replies).where(replies.c.id == reply_id, replies.c.tenant == tenant)
    ).first()
    if row is None:
        raise NotFound(f"no reply with id {reply_id}")
    if done.rowcount != 1:
        raise InputError(f"reply {reply_id} is {row.status}, not waiting for approval")
    return reply_from_row(row)
