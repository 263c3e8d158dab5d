"""A pretend network for the demo: it keeps every reply and makes some customers answer back.

Nothing leaves the process. Each reply gets a numeric id (far above any real X id, so a
simulated message never collides with an ingested post), and, with a seeded probability,
schedules the customer's answer a little later. The demo calls `pump(now)` on its tick; the
answers that are due come back as new `Post`s through `on_customer_reply`, and the desk
threads them into the case, so conversations keep going the way real ones do.

Everything random is drawn from one `random.Random(seed)` in send order, so a seed and the
same sends always give the same answers, at the same times.
"""

from __future__ import annotations

import heapq
import random
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import msgspec

from rapport.care.channels.base import Channel, Outgoing, Sent, SentLog, utcnow
from rapport.errors import ConfigError
from rapport.records import Author, Post

# Above every X snowflake id for decades, and below 2**63 so stores that keep ids as BIGINT
# can hold them.
ID_BASE = 9_000_000_000_000_000_000

# What customers say back to a care reply, by language: thanks, a DM, an unsolved problem.
ANSWERS: dict[str, tuple[str, ...]] = {
    "en": (
        "thanks, sent you a DM",
        "still not fixed",
        "ok that worked, thank you!",
        "how long is this going to take?",
        "I already tried that twice",
        "done, DM'd you my order number",
    ),
    "es": (
        "gracias, os escribí por DM",
        "sigue sin funcionar",
        "listo, ya funciona, ¡gracias!",
        "¿cuánto va a tardar esto?",
    ),
    "fr": (
        "merci, je vous ai envoyé un DM",
        "toujours pas réglé",
        "c'est bon, ça marche, merci !",
        "j'ai déjà essayé ça",
    ),
    "de": (
        "danke, hab euch eine DM geschickt",
        "immer noch nicht behoben",
        "hat geklappt, danke!",
        "wie lange dauert das noch?",
    ),
    "pt": (
        "obrigado, mandei DM",
        "continua sem funcionar",
        "resolvido, valeu!",
    ),
    "it": (
        "grazie, vi ho scritto in DM",
        "ancora non risolto",
        "fatto, ora funziona, grazie!",
    ),
}

# How customers answer the Net Promoter question: mostly a number, sometimes words; about
# half promoters, a quarter passives, a fifth detractors, the rest no answer at all.
SURVEY_ANSWERS: dict[str, tuple[str, ...]] = {
    "en": ("10", "9/10", "10!! you guys rock", "9", "8", "7 I guess", "8 out of 10",
           "3, still waiting for my refund", "0", "5", "lol no", "9"),
    "es": ("10", "nueve", "9/10", "8", "7", "4, sigo esperando", "10 💯", "meh"),
    "pt": ("10", "9", "nove", "8", "6", "2, péssimo"),
    "fr": ("10", "9/10", "neuf", "8", "7", "3, toujours pas réglé"),
    "de": ("10", "neun", "9", "8", "7", "2, immer noch kaputt"),
    "it": ("10", "9", "nove", "8", "5, ancora niente"),
}  # fmt: skip

CustomerReplyHandler = Callable[[Post], None]


class SimulatedNetwork(Channel):
    """A `Channel` that records replies and answers some of them as the customer.

    `answer_probability` is the chance a reply gets an answer; the answer comes between
    `min_delay` and `max_delay` after the reply was sent. `clock` stamps `sent_at`.
    """

    def __init__(
        self,
        network: str = "x",
        *,
        seed: int = 0,
        answer_probability: float = 0.5,
        min_delay: timedelta = timedelta(seconds=20),
        max_delay: timedelta = timedelta(minutes=3),
        on_customer_reply: CustomerReplyHandler | None = None,
        clock: Callable[[], datetime] = utcnow,
        sent_log: SentLog | None = None,
    ) -> None:
        super().__init__(network, sent_log)
        if not 0.0 <= answer_probability <= 1.0:
            raise ConfigError(
                f"answer_probability must be between 0 and 1, not {answer_probability}"
            )
        if min_delay > max_delay:
            raise ConfigError(f"min_delay {min_delay} is longer than max_delay {max_delay}")
        self.answer_probability = answer_probability
        self.min_delay, self.max_delay = min_delay, max_delay
        self.on_customer_reply = on_customer_reply
        self._clock = clock
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._next_id = ID_BASE
        self._messages: list[tuple[Outgoing, Sent]] = []
        # (due, sequence, post): the sequence keeps equal due times in send order.
        self._due: list[tuple[datetime, int, Post]] = []

    @property
    def messages(self) -> tuple[tuple[Outgoing, Sent], ...]:
        """Every reply sent so far, in order, with what the network answered."""
        with self._lock:
            return tuple(self._messages)

    @property
    def pending(self) -> int:
        """How many customer answers are scheduled and not yet pumped."""
        with self._lock:
            return len(self._due)

    def _deliver(self, outgoing: Outgoing) -> Sent:
        sent_at = self._clock()
        # One lock for the id, the record and the random draws: concurrent sends then leave
        # the generator in a state that depends only on their order.
        with self._lock:
            message_id = self._take_id()
            conversation = outgoing.conversation_id or outgoing.in_reply_to
            sent = Sent(
                idempotency_key=outgoing.idempotency_key,
                network=self.network,
                message_id=message_id,
                private=outgoing.private,
                sent_at=sent_at,
                conversation_id=conversation if outgoing.private else None,
            )
            self._messages.append((outgoing, sent))
            if self._random.random() < self.answer_probability:
                self._schedule_answer(outgoing, sent, conversation)
        return sent

    def _schedule_answer(self, outgoing: Outgoing, sent: Sent, conversation: str | None) -> None:
        span = (self.max_delay - self.min_delay).total_seconds()
        due = sent.sent_at + self.min_delay + timedelta(seconds=self._random.uniform(0.0, span))
        answers = SURVEY_ANSWERS if outgoing.kind == "survey" else ANSWERS
        lang = outgoing.lang if outgoing.lang in answers else "en"
        text = self._random.choice(answers[lang])
        answer = Post(
            network=self.network,
            source_id=self._take_id(),
            author=Author(source_id=outgoing.recipient_id, handle=outgoing.recipient_handle),
            text=text,
            created_at=due,
            conversation_id=conversation,
            reply_to_id=sent.message_id,
            lang=lang,
        )
        heapq.heappush(self._due, (due, len(self._messages), answer))

    def _take_id(self) -> str:
        self._next_id += 1
        return str(self._next_id)

    def pump(self, now: datetime | None = None) -> list[Post]:
        """Deliver the customer answers due by `now` (default: the clock), oldest first.

        Each goes to `on_customer_reply` (called outside the lock, so the handler may send
        again) and all are returned.
        """
        now = self._clock() if now is None else now
        ready: list[Post] = []
        with self._lock:
            while self._due and self._due[0][0] <= now:
                _, _, answer = heapq.heappop(self._due)
                # The desk sees the answer when the demo's clock reaches it, not when planned.
                ready.append(msgspec.structs.replace(answer, created_at=now))
        if self.on_customer_reply is not None:
            for post in ready:
                self.on_customer_reply(post)
        return ready
