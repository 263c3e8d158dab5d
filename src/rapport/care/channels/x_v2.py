"""Replies and private messages through the X API v2, retried only where a retry is safe.

A public reply is `POST /2/tweets` with `{"text", "reply": {"in_reply_to_tweet_id"}}`; a
private message is `POST /2/dm_conversations/with/{participant_id}/messages` with
`{"text"}`. Both need a user-context token (OAuth 2.0 with `tweet.write` or `dm.write`),
sent as a bearer token.

Posting is not idempotent at X, so a request is sent again only when X cannot have applied
it: the connection never opened, X answered 429 (rate limited; we wait for the reset it
names, up to `max_wait`), or X answered a status in `retry_statuses` (503 by default: X is
overloaded and turned the request away). A timeout or a dropped connection after the request
left, and a 500, 502 or 504 (X or its gateway failed somewhere in the middle), may have
posted the message: they raise `DeliveryUnknown` and are never retried.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

import httpx
import orjson

from rapport.care.channels.base import (
    Channel,
    ChannelError,
    DeliveryUnknown,
    Outgoing,
    RateLimited,
    Sent,
    SentLog,
    utcnow,
)

DEFAULT_BASE_URL = "https://api.x.com"
MAX_POST_WEIGHT = 280  # X's limit for a post, in its weighted characters
MAX_DM_CHARACTERS = 10_000
URL_WEIGHT = 23  # every link counts as a t.co link, however long it is
# Code points that count 1 in X's weighted length (Latin, Greek, Cyrillic, Hebrew, Arabic,
# Indic scripts, general punctuation); everything else (CJK, emoji) counts 2.
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
# Parts of one emoji that X does not count on their own: joiner, variation selector, skin tones.
_EMOJI_PARTS = frozenset({0x200D, 0xFE0F, *range(0x1F3FB, 0x1F400)})
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_ID = re.compile(r"[0-9]{1,19}")
# X's own clock and ours differ a little, and its reset is a whole second: wait one more.
RESET_MARGIN = 1.0


def weighted_length(text: str) -> int:
    """The length X counts for a post: links as 23, CJK and emoji as 2, most scripts as 1."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    start = 0
    for match in _URL.finditer(text):
        total += _count(text[start : match.start()]) + URL_WEIGHT
        start = match.end()
    return total + _count(text[start:])


def _count(text: str) -> int:
    total = 0
    joined = False
    for char in text:
        point = ord(char)
        if point in _EMOJI_PARTS:
            joined = point == 0x200D
            continue
        if joined:  # the next part of a joined emoji sequence
            joined = False
            continue
        total += 1 if any(low <= point <= high for low, high in _LIGHT_RANGES) else 2
    return total


class XChannel(Channel):
    """A `Channel` that posts to X with a user access token.

    `sleep` and `clock` are injectable so tests can honour X's waits without waiting;
    `max_attempts` bounds the requests per send, `max_wait` the seconds spent waiting
    between them (a longer rate-limit wait raises `RateLimited` for the caller to schedule).
    """

    def __init__(
        self,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        network: str = "x",
        sent_log: SentLog | None = None,
        timeout: float = 10.0,
        max_attempts: int = 5,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        max_wait: float = 60.0,
        retry_statuses: Collection[int] = frozenset({503}),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = utcnow,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(network, sent_log)
        if not token:
            raise ChannelError("no X access token: give XChannel a user-context OAuth 2.0 token")
        self.max_attempts, self.max_wait = max(1, max_attempts), max_wait
        self.backoff, self.max_backoff = backoff, max_backoff
        self.retry_statuses = frozenset(retry_statuses)
        self._sleep, self._clock = sleep, clock
        self._client = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "User-Agent": "rapport-care",
            },
        )

    def close(self) -> None:
        self._client.close()

    def _deliver(self, outgoing: Outgoing) -> Sent:
        where = f"case {outgoing.case_id}"
        if not outgoing.text.strip():
            raise ChannelError(f"{where}: the reply is empty")
        if outgoing.private:
            if len(outgoing.text) > MAX_DM_CHARACTERS:
                raise ChannelError(
                    f"{where}: a private message may have {MAX_DM_CHARACTERS} characters, "
                    f"this one has {len(outgoing.text)}; shorten it"
                )
            recipient = _check_id(outgoing.recipient_id, "recipient_id", where)
            path = f"/2/dm_conversations/with/{recipient}/messages"
            body: dict[str, Any] = {"text": outgoing.text}
        else:
            weight = weighted_length(outgoing.text)
            if weight > MAX_POST_WEIGHT:
                raise ChannelError(
                    f"{where}: a public reply may be {MAX_POST_WEIGHT} characters as X counts "
                    f"them (links 23, CJK and emoji 2), this one is {weight}; shorten it or "
                    "send it as a private message"
                )
            if not outgoing.in_reply_to:
                raise ChannelError(f"{where}: a public reply needs the post it answers")
            target = _check_id(outgoing.in_reply_to, "in_reply_to", where)
            path = "/2/tweets"
            body = {"text": outgoing.text, "reply": {"in_reply_to_tweet_id": target}}
        data = self._post(path, orjson.dumps(body), where)
        message_id = data.get("dm_event_id" if outgoing.private else "id")
        conversation = data.get("dm_conversation_id")
        if not isinstance(message_id, str) or not message_id:
            # X said it created something, so the message is out: don't let it be resent.
            raise DeliveryUnknown(f"{where}: X accepted the message but its answer has no id")
        return Sent(
            idempotency_key=outgoing.idempotency_key,
            network=self.network,
            message_id=message_id,
            private=outgoing.private,
            sent_at=self._clock(),
            conversation_id=conversation if isinstance(conversation, str) else None,
        )

    def _post(self, path: str, body: bytes, where: str) -> dict[str, Any]:
        """POST until X answers 2xx, retrying only what X cannot have applied."""
        waited = 0.0
        for attempt in range(1, self.max_attempts + 1):
            retry_at: datetime | None = None
            try:
                response = self._client.post(path, content=body)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
                # No connection, so no request: safe to try again.
                problem = f"could not reach X ({type(error).__name__}: {error})"
                delay = self._backoff(attempt)
            except (httpx.UnsupportedProtocol, httpx.LocalProtocolError) as error:
                raise ChannelError(f"{where}: the request could not be made: {error}") from error
            except httpx.TransportError as error:
                raise DeliveryUnknown(
                    f"{where}: the request reached X but no answer came back "
                    f"({type(error).__name__}); the message may have been posted: check the "
                    "customer's thread before sending it again"
                ) from error
            else:
                status = response.status_code
                if response.is_success:
                    return _data(response, where)
                if status == 429:
                    retry_at = _reset(response, self._clock())
                    delay = (retry_at - self._clock()).total_seconds()
                    problem = "rate limited by X (429)"
                elif status in self.retry_statuses:
                    delay = _number(response.headers.get("retry-after")) or self._backoff(attempt)
                    problem = f"X is unavailable ({status}): {_detail(response)}"
                else:
                    _refuse(response, where)
            if attempt == self.max_attempts or waited + delay > self.max_wait:
                if retry_at is not None:
                    raise RateLimited(
                        f"{where}: {problem}; X allows the next post at {retry_at:%H:%M:%S} "
                        "UTC, and nothing was sent",
                        retry_at=retry_at,
                    )
                raise ChannelError(
                    f"{where}: {problem}; gave up after {attempt} attempt(s), nothing was sent"
                )
            self._sleep(delay)
            waited += delay
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _backoff(self, attempt: int) -> float:
        return float(min(self.backoff * 2 ** (attempt - 1), self.max_backoff))


def _check_id(value: str, field: str, where: str) -> str:
    # Ids go into the path and the body: anything but X's decimal ids is a caller's mistake.
    if not _ID.fullmatch(value):
        raise ChannelError(f"{where}: {field} {value!r} is not an X id (digits only)")
    return value


def _data(response: httpx.Response, where: str) -> dict[str, Any]:
    try:
        data = orjson.loads(response.content).get("data")
    except (orjson.JSONDecodeError, AttributeError):
        data = None
    if not isinstance(data, dict):
        raise DeliveryUnknown(
            f"{where}: X accepted the message ({response.status_code}) but its answer could "
            "not be read; check the customer's thread"
        )
    return data


def _reset(response: httpx.Response, now: datetime) -> datetime:
    """When X will take the next request: the latest reset among the limits that ran out."""
    headers = response.headers
    resets: list[float] = []
    for scope in ("x-rate-limit", "x-user-limit-24hour", "x-app-limit-24hour"):
        reset = _number(headers.get(f"{scope}-reset"))
        remaining = headers.get(f"{scope}-remaining")
        # The 15-minute window is what a 429 usually means; a daily cap only when it is spent.
        if reset is not None and (scope == "x-rate-limit" or remaining == "0"):
            resets.append(reset)
    if not resets:
        return now + timedelta(seconds=60)
    at = datetime.fromtimestamp(max(resets), UTC) + timedelta(seconds=RESET_MARGIN)
    return max(at, now + timedelta(seconds=RESET_MARGIN))


def _number(value: str | None) -> float | None:
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


def _detail(response: httpx.Response) -> str:
    """X's own explanation: a problem's `detail` or `title`, or an `errors` message."""
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return response.text.strip()[:200] or response.reason_phrase
    if isinstance(body, dict):
        for field in ("detail", "title"):
            if isinstance(body.get(field), str) and body[field]:
                return str(body[field])
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            message = errors[0].get("message") or errors[0].get("detail")
            if isinstance(message, str):
                return message
    return response.text.strip()[:200] or response.reason_phrase


def _refuse(response: httpx.Response, where: str) -> NoReturn:
    status, detail = response.status_code, _detail(response)
    if status == 401:
        raise ChannelError(
            f"{where}: X did not accept the access token (401: {detail}); check that it is a "
            "current user-context token with the tweet.write and dm.write scopes",
            status=status,
            detail=detail,
        )
    if status >= 500:
        raise DeliveryUnknown(
            f"{where}: X failed while handling the message ({status}: {detail}); it may have "
            "been posted: check the customer's thread before sending it again",
            status=status,
            detail=detail,
        )
    raise ChannelError(
        f"{where}: X refused the message ({status}): {detail}", status=status, detail=detail
    )
