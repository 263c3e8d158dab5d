"""What a reply must be, and where it goes; `actions/replies.py` sends it.

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

from collections.abc import Mapping
from dataclasses import dataclass

from rapport.care.channels import Channel, ChannelError, DeliveryUnknown, Outgoing
from rapport.care.privacy import Finding, check_reply
from rapport.care.sla_book import SlaJudge
from rapport.errors import InputError
from rapport.records.replies import ReplyTarget

MAX_REPLY_CHARS = 10_000


class PersonalDataInReply(InputError):
    """A public reply would expose personal data; `findings` say what and where."""

    def __init__(self, advice: str, findings: tuple[Finding, ...]) -> None:
        shown = [{"kind": f.kind, "start": f.start, "end": f.end, "reason": f.reason}
                 for f in findings]  # fmt: skip
        super().__init__(advice, findings=shown, suggestion="private")
        self.findings = findings


@dataclass(frozen=True)
class ReplyDesk:
    """Where replies go: a channel per network, and the SLA book their clocks follow."""

    channels: Mapping[str, Channel]
    sla: SlaJudge


def checked_text(text: str, *, private: bool) -> str:
    """The reply's text, trimmed; InputError when empty or too long, PersonalDataInReply
    when a public reply would expose personal data."""
    text = text.strip()
    if not text or len(text) > MAX_REPLY_CHARS:
        raise InputError(f"a reply needs 1 to {MAX_REPLY_CHARS:,} characters")
    if not private:
        check = check_reply(text)
        if not check.allowed:
            raise PersonalDataInReply(check.advice, check.findings)
    return text


def outgoing(target: ReplyTarget, text: str, *, private: bool, key: str) -> Outgoing:
    """The message a channel sends for a reply to `target`."""
    return Outgoing(
        case_id=target.case_id, network=target.network, in_reply_to=target.in_reply_to,
        recipient_id=target.customer_id, recipient_handle=target.customer_handle,
        text=text, private=private, idempotency_key=key,
        conversation_id=target.conversation_id, lang=target.lang,
    )  # fmt: skip


def failure_status(error: ChannelError) -> str:
    """ "unknown" when the request may have reached the network, else "failed"."""
    return "unknown" if isinstance(error, DeliveryUnknown) else "failed"
