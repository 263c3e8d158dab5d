"""What every outbound channel shares: the records, the errors, and the never-twice rule.

An agent's reply leaves Rapport as an `Outgoing` and comes back as a `Sent`. Each `Outgoing`
carries an idempotency key (the lead's outbox row, a button click), and a channel sends a key
at most once: `Channel.send` asks its `SentLog` first and returns the earlier `Sent`, marked
"duplicate", instead of posting again. A send whose outcome is unknown (the request left, no
answer came back) keeps its key blocked, because only a person looking at the network can
tell whether the customer got it.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from datetime import UTC, datetime
from typing import Literal, Protocol, Self

import msgspec

from rapport.care.privacy import check_reply
from rapport.errors import RapportError
from rapport.records import Record


class Outgoing(Record, frozen=True, kw_only=True):
    """A reply an agent wrote, addressed to one customer on one network.

    `in_reply_to` is the source id of the customer's post being answered (None for a private
    message that starts a conversation); `conversation_id` and `lang` are optional hints the
    simulated network uses to keep a thread and a language going.
    """

    case_id: int
    network: str
    in_reply_to: str | None
    recipient_id: str
    recipient_handle: str
    text: str
    private: bool
    idempotency_key: str
    conversation_id: str | None = None
    lang: str | None = None
    kind: str = "reply"  # reply | survey (the simulated network answers a survey with a score)


class Sent(Record, frozen=True, kw_only=True):
    """What the network answered: the id it gave the message, and when it was sent.

    `status` is "duplicate" when this key had been sent before and nothing was sent now;
    `conversation_id` is the network's DM conversation for a private message, when it says.
    """

    idempotency_key: str
    network: str
    message_id: str
    private: bool
    sent_at: datetime
    status: Literal["sent", "duplicate"] = "sent"
    conversation_id: str | None = None


class ChannelError(RapportError):
    """The network refused the message, or it could not be sent; it was not delivered.

    `status` is the HTTP status when the network answered, and `detail` its own words.
    """

    def __init__(self, message: str, *, status: int | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail


class DeliveryUnknown(ChannelError):
    """The request may or may not have been applied: it is never retried automatically.

    An agent checks the customer's thread and, if the reply is missing, sends it again under
    a new idempotency key.
    """


class PersonalDataBlocked(ChannelError):
    """A public message would expose personal data; it was not sent, and may be sent
    again once the data is taken out (or privately)."""


class RateLimited(ChannelError):
    """The network asks us to wait until `retry_at`, longer than the channel may wait."""

    def __init__(self, message: str, *, retry_at: datetime, status: int | None = 429) -> None:
        super().__init__(message, status=status)
        self.retry_at = retry_at


class SentLog(Protocol):
    """Which idempotency keys a channel has sent, is sending, or lost track of.

    `begin` claims a key: it returns the earlier `Sent` if the key was sent, raises
    `DeliveryUnknown` if an earlier attempt's outcome is unknown, and otherwise holds the key
    until `finish` or `abandon`. The database-backed log will store the same three states.
    """

    def begin(self, key: str) -> Sent | None: ...

    def finish(self, sent: Sent) -> None: ...

    def abandon(self, key: str, *, unknown: bool) -> None: ...

    def get(self, key: str) -> Sent | None: ...


class MemorySentLog:
    """A `SentLog` in this process's memory, safe to share between threads."""

    def __init__(self) -> None:
        self._sent: dict[str, Sent] = {}
        self._unknown: set[str] = set()
        self._sending: set[str] = set()
        self._changed = threading.Condition()

    def begin(self, key: str) -> Sent | None:
        with self._changed:
            # A second click while the first send is still on the wire waits for its outcome
            # rather than racing it to the network.
            while key in self._sending:
                self._changed.wait()
            if key in self._sent:
                return self._sent[key]
            if key in self._unknown:
                raise DeliveryUnknown(
                    f"an earlier send with idempotency key {key!r} may have been delivered; "
                    "check the customer's thread and, if the reply is missing, send it again "
                    "with a new key"
                )
            self._sending.add(key)
            return None

    def finish(self, sent: Sent) -> None:
        with self._changed:
            self._sending.discard(sent.idempotency_key)
            self._sent[sent.idempotency_key] = sent
            self._changed.notify_all()

    def abandon(self, key: str, *, unknown: bool) -> None:
        with self._changed:
            self._sending.discard(key)
            if unknown:
                self._unknown.add(key)
            self._changed.notify_all()

    def get(self, key: str) -> Sent | None:
        with self._changed:
            return self._sent.get(key)


class Channel(ABC):
    """One network's way of delivering agent replies.

    Subclasses implement `_deliver`, which talks to the network once per call of `send` (with
    whatever retries are safe); `send` wraps it in the idempotency bookkeeping, so no channel
    can forget it.
    """

    network: str

    def __init__(self, network: str, sent_log: SentLog | None = None) -> None:
        self.network = network
        self.sent_log: SentLog = sent_log if sent_log is not None else MemorySentLog()

    def send(self, outgoing: Outgoing) -> Sent:
        """Deliver `outgoing` once; a key already sent returns its `Sent` as "duplicate"."""
        if outgoing.network != self.network:
            raise ChannelError(
                f"this channel sends to {self.network!r}, not {outgoing.network!r} "
                f"(case {outgoing.case_id})"
            )
        key = outgoing.idempotency_key
        if not key:
            raise ChannelError(f"case {outgoing.case_id}: the reply has no idempotency key")
        if not outgoing.private:
            # The last gate before the network, whatever path the message came by.
            check = check_reply(outgoing.text)
            if not check.allowed:
                raise PersonalDataBlocked(f"case {outgoing.case_id}: {check.advice}")
        earlier = self.sent_log.begin(key)
        if earlier is not None:
            return msgspec.structs.replace(earlier, status="duplicate")
        try:
            sent = self._deliver(outgoing)
        except DeliveryUnknown:
            self.sent_log.abandon(key, unknown=True)
            raise
        except ChannelError:
            # Refused or never sent: the same key may be tried again later.
            self.sent_log.abandon(key, unknown=False)
            raise
        except BaseException:
            # Anything unexpected (a bug, Ctrl-C mid-request) may have happened after the
            # request left, so it blocks the key like an unknown outcome.
            self.sent_log.abandon(key, unknown=True)
            raise
        self.sent_log.finish(sent)
        return sent

    @abstractmethod
    def _deliver(self, outgoing: Outgoing) -> Sent:
        """Send one message to the network and return what it answered."""

    def close(self) -> None:  # noqa: B027 (optional hook: most channels hold nothing)
        """Release connections; the channel is not used afterwards."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def utcnow() -> datetime:
    return datetime.now(UTC)
