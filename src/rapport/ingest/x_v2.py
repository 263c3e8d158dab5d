"""X API v2 responses, as search (recent, full-archive) and the filtered stream return them.

One response per line (`{"data": [...] or {...}, "includes": {...}, "meta": ..., "errors": ...}`),
or a whole file that is one pretty-printed response. Every tweet in `data` is decoded on its own,
so one bad tweet is quarantined while its neighbours in the same response come through; its
quarantined `raw` is a small response of its own (the tweet plus its user and media) that this
reader replays as it is.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, BinaryIO

import msgspec
import orjson

from rapport.ingest.base import (
    DECODE_ERRORS,
    KEEP_OF_OVERSIZE,
    Parsed,
    Reader,
    describe_decode_error,
    in_time,
    json_may_hold_nul,
    lines,
    problem_with,
    value_past_bound,
)
from rapport.records import Author, Count, Handle, Language, Post, PublicMetrics, SourceId

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

# A pretty-printed response may be this many times RAPPORT_MAX_RECORD_BYTES (it holds a page of
# tweets, each of which must fit the record limit on its own).
DOCUMENT_FACTOR = 64
# The reference types X uses, and the Post field each one fills.
_REFERENCE_FIELDS = {
    "replied_to": "reply_to_id",
    "quoted": "quote_of_id",
    "retweeted": "repost_of_id",
}


class _Url(msgspec.Struct):
    url: str = ""
    expanded_url: str | None = None
    media_key: str | None = None


class _Tag(msgspec.Struct):
    tag: str


class _Mention(msgspec.Struct):
    username: str


class _Entities(msgspec.Struct):
    urls: list[_Url] = []
    hashtags: list[_Tag] = []
    mentions: list[_Mention] = []
    cashtags: list[_Tag] = []


class _Reference(msgspec.Struct):
    type: str
    id: SourceId


class _Attachments(msgspec.Struct):
    media_keys: list[str] = []


# Bounded as the records are (`records.Count`), so that an impossible count quarantines
# its tweet here rather than failing the insert.
class _TweetMetrics(msgspec.Struct):
    like_count: Count = 0
    retweet_count: Count = 0
    reply_count: Count = 0
    quote_count: Count = 0
    impression_count: Count | None = None


class _NoteTweet(msgspec.Struct):
    text: str
    entities: _Entities | None = None


class _Tweet(msgspec.Struct):
    id: SourceId
    text: str
    author_id: SourceId
    created_at: datetime
    conversation_id: SourceId | None = None
    referenced_tweets: list[_Reference] = []
    lang: Language | None = None
    entities: _Entities | None = None
    attachments: _Attachments | None = None
    public_metrics: _TweetMetrics | None = None
    note_tweet: _NoteTweet | None = None


class _UserMetrics(msgspec.Struct):
    followers_count: Count = 0
    following_count: Count = 0
    tweet_count: Count = 0


class _User(msgspec.Struct):
    id: SourceId
    username: Handle
    name: str = ""
    verified: bool = False
    created_at: datetime | None = None
    public_metrics: _UserMetrics | None = None


class _Media(msgspec.Struct):
    media_key: str
    type: str = ""


class _Includes(msgspec.Struct):
    # Raw, so that one malformed user or media item costs only itself.
    users: list[msgspec.Raw] = []
    media: list[msgspec.Raw] = []


class _Response(msgspec.Struct):
    # Raw: an empty Raw means "absent"; tweets are decoded one by one later.
    data: msgspec.Raw = msgspec.Raw()
    includes: msgspec.Raw = msgspec.Raw()
    errors: msgspec.Raw = msgspec.Raw()


_response = msgspec.json.Decoder(_Response)
_raw_list = msgspec.json.Decoder(list[msgspec.Raw])
_tweet = msgspec.json.Decoder(_Tweet)
_includes = msgspec.json.Decoder(_Includes)
_user = msgspec.json.Decoder(_User)
_media = msgspec.json.Decoder(_Media)
_any = msgspec.json.Decoder()

_Users = dict[str, tuple[_User, bytes]]
_MediaIndex = dict[str, tuple[str, bytes]]


class XV2Reader(Reader):
    format = "x-v2"

    # Responses' `errors` arrays (partial errors such as a deleted referenced tweet) are not
    # posts, so they are not quarantined; this counts them so a caller can report them.
    partial_errors: int = 0

    def read(self, stream: BinaryIO, source: str) -> Iterator[Parsed]:
        limits = self.limits
        first = stream.readline(limits.max_record_bytes + 1)
        if not first:
            return
        head = first
        if _problem(first) is not None:
            # Not one response per line; maybe one pretty-printed response: read it whole, but
            # no further than the limit, and go back to lines if it is not one either.
            budget = limits.max_record_bytes * DOCUMENT_FACTOR
            head = first + _read_up_to(stream, budget + 1 - len(first))
            problem = _problem(head) if len(head) <= budget else _too_big(budget)
            if problem is None:
                yield from self._response(head, "document", source)
                return
            if first.strip() in (b"{", b"["):  # how pretty-printers start; JSON Lines never do
                yield self.reject(source, "document", problem, head[:KEEP_OF_OVERSIZE])
                return
        # JSON Lines: the bytes already read come first, then the rest of the stream.
        chained = io.BufferedReader(_Prefixed(head, stream), buffer_size=1 << 16)
        for number, line, too_long in lines(chained, limits.max_record_bytes):
            where = f"line {number}"
            if too_long:
                yield self.reject(source, where, _oversize(limits.max_record_bytes), line)
            elif line.strip():
                yield from self._response(line, where, source)

    def _response(self, body: bytes, where: str, source: str) -> Iterator[Parsed]:
        try:
            response = _response.decode(body)
        except DECODE_ERRORS:
            yield self.reject(source, where, _problem(body) or "unreadable", body)
            return
        self.partial_errors += _count_errors(response.errors)
        data = bytes(response.data)
        if not data or data == b"null":
            return  # a response with no tweets: only meta, or only errors
        items: list[tuple[str, bytes]]
        if data.startswith(b"["):
            items = [(f"data[{i}]", bytes(raw)) for i, raw in enumerate(_raw_list.decode(data))]
        elif data.startswith(b"{"):
            items = [("data", data)]
        else:
            reason = "field 'data': expected a tweet object or a list of tweets"
            yield self.reject(source, where, reason, body[:KEEP_OF_OVERSIZE])
            return
        includes = bytes(response.includes)
        users, media = _index_includes(includes)
        # Users and media lend a post strings too: a NUL among them is one in the post.
        shared_nul = json_may_hold_nul(includes)
        for label, raw in items:
            nul = shared_nul or json_may_hold_nul(raw)
            yield self._tweet(raw, label, f"{where}, {label}", source, users, media, nul)

    def _tweet(
        self,
        raw: bytes,
        label: str,
        where: str,
        source: str,
        users: _Users,
        media: _MediaIndex,
        nul: bool,
    ) -> Parsed:
        limit = self.limits.max_record_bytes
        if len(raw) > limit:
            reason = f"{label}: {_oversize(limit)}"
            return self.reject(source, where, reason, raw[:KEEP_OF_OVERSIZE])
        try:
            tweet = _tweet.decode(raw)
        except msgspec.ValidationError as error:
            reason = f"{label}: {explain(error)}{value_past_bound(error, raw)}"
            return self.reject(source, where, reason, _replayable(raw, users, media))
        except DECODE_ERRORS as error:
            reason = f"{label}: {describe_decode_error(error)}"
            return self.reject(source, where, reason, _replayable(raw, users, media))
        post = _to_post(tweet, users, media)
        problem = problem_with(post, self.limits, nul=nul)
        if problem is None:
            return post
        return self.reject(source, where, f"{label}: {problem}", _replayable(raw, users, media))


def _to_post(tweet: _Tweet, users: _Users, media: _MediaIndex) -> Post:
    found = users.get(tweet.author_id)
    if found is None:
        # X leaves users out of `includes` now and then (suspended, protected, or a page limit);
        # the id alone still lets the store thread and count the post.
        author = Author(source_id=tweet.author_id, handle=tweet.author_id)
    else:
        author = _author(found[0])
    text = tweet.text
    entity_sets = [tweet.entities] if tweet.entities else []
    if tweet.note_tweet is not None and tweet.note_tweet.text:
        # A long post: `text` is cut at 280 characters; the note holds all of it.
        text = tweet.note_tweet.text
        if tweet.note_tweet.entities is not None:
            entity_sets.insert(0, tweet.note_tweet.entities)
    references: dict[str, str] = {}
    for reference in tweet.referenced_tweets:
        field = _REFERENCE_FIELDS.get(reference.type)
        if field is not None and field not in references:
            references[field] = reference.id
    keys = tweet.attachments.media_keys if tweet.attachments else []
    types = tuple(dict.fromkeys(media[k][0] for k in keys if k in media and media[k][0]))
    return Post(
        network="x",
        source_id=tweet.id,
        author=author,
        text=text,
        created_at=tweet.created_at,
        conversation_id=tweet.conversation_id or None,
        reply_to_id=references.get("reply_to_id"),
        quote_of_id=references.get("quote_of_id"),
        repost_of_id=references.get("repost_of_id"),
        lang=_language(tweet.lang),
        links=_links(entity_sets),
        hashtags=_unique(_bare(t.tag, "#").lower() for e in entity_sets for t in e.hashtags),
        mentions=_unique(_bare(m.username, "@").lower() for e in entity_sets for m in e.mentions),
        cashtags=_unique(_bare(t.tag, "$").upper() for e in entity_sets for t in e.cashtags),
        has_media=bool(keys),
        media_types=types,
        metrics=_metrics(tweet.public_metrics),
    )


def _links(entity_sets: list[_Entities]) -> tuple[str, ...]:
    links: list[str] = []
    for entities in entity_sets:
        for url in entities.urls:
            # A url carrying a media_key is the post's own photo or video, not a shared link.
            if url.media_key is not None:
                continue
            link = url.expanded_url or url.url
            # X expands to whatever was posted; only web links are links (see problem_with).
            if link.lower().startswith(("http://", "https://")):
                links.append(link)
    return _unique(links)


def _metrics(metrics: _TweetMetrics | None) -> PublicMetrics:
    if metrics is None:
        return PublicMetrics()
    return PublicMetrics(
        likes=metrics.like_count,
        reposts=metrics.retweet_count,
        replies=metrics.reply_count,
        quotes=metrics.quote_count,
        views=metrics.impression_count,
    )


def _author(user: _User) -> Author:
    metrics = user.public_metrics or _UserMetrics()
    return Author(
        source_id=user.id,
        handle=user.username,
        display_name=user.name,
        followers=metrics.followers_count,
        following=metrics.following_count,
        verified=user.verified,
        post_count=metrics.tweet_count,
        created_at=user.created_at,
    )


def _language(code: str | None) -> str | None:
    """X's language, or None for its pseudo-codes: und, zxx and the private-use qaa..qtz
    (qme media only, qht hashtags only, qam mentions only, qct cashtags, qst very short)."""
    if not code:
        return None
    code = code.lower()
    if code in ("und", "zxx", "mul", "mis") or (len(code) == 3 and "qaa" <= code <= "qtz"):
        return None
    return code


def _bare(value: str, sigil: str) -> str:
    return value.strip().lstrip(sigil)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _index_includes(raw: bytes) -> tuple[_Users, _MediaIndex]:
    """Users and media of a response by id, each with its own JSON for a replayable reject.

    A malformed `includes` or item is skipped rather than rejected: it is not a post, and the
    tweets that refer to it still read (with the author's id only, or without media types).
    """
    users: _Users = {}
    media: _MediaIndex = {}
    if not raw or raw == b"null":
        return users, media
    try:
        includes = _includes.decode(raw)
    except DECODE_ERRORS:
        return users, media
    for item in includes.users:
        try:
            user = _user.decode(item)
        except DECODE_ERRORS:
            continue
        if user.created_at is not None and not in_time(user.created_at):
            continue  # as malformed as a wrong type: the profile is not to be trusted
        users[user.id] = (user, bytes(item))
    for item in includes.media:
        try:
            medium = _media.decode(item)
        except DECODE_ERRORS:
            continue
        media[medium.media_key] = (medium.type, bytes(item))
    return users, media


def _replayable(raw: bytes, users: _Users, media: _MediaIndex) -> bytes:
    """A response holding just this tweet, its user and its media, for quarantine and replay."""
    try:
        loose = _any.decode(raw)
    except DECODE_ERRORS:
        loose = None
    author_id: Any = None
    keys: Any = None
    if isinstance(loose, dict):
        author_id = loose.get("author_id")
        attachments = loose.get("attachments")
        keys = attachments.get("media_keys") if isinstance(attachments, dict) else None
    includes: dict[str, list[orjson.Fragment]] = {}
    if isinstance(author_id, str) and author_id in users:
        includes["users"] = [orjson.Fragment(users[author_id][1])]
    if isinstance(keys, list):
        found = [orjson.Fragment(media[k][1]) for k in keys if isinstance(k, str) and k in media]
        if found:
            includes["media"] = found
    response: dict[str, Any] = {"data": [orjson.Fragment(raw)]}
    if includes:
        response["includes"] = includes
    return orjson.dumps(response)


def _count_errors(raw: msgspec.Raw) -> int:
    if not raw:
        return 0
    try:
        errors = _raw_list.decode(raw)
    except DECODE_ERRORS:
        return 1  # not the documented list, but still something X reported
    return len(errors)


_MISSING = re.compile(r"Object missing required field `(?P<field>[^`]*)`(?: - at `\$(?P<at>.*)`)?")
_AT = re.compile(r"(?P<message>.*) - at `\$(?P<at>.*)`")


def explain(error: msgspec.ValidationError) -> str:
    """msgspec's message in the words of a reason: "missing field 'author_id'" and the like."""
    text = str(error)
    missing = _MISSING.fullmatch(text)
    if missing:
        path = f"{missing['at'] or ''}.{missing['field']}".lstrip(".")
        return f"missing field '{path}'"
    at = _AT.fullmatch(text)
    if at:
        message = at["message"].replace("`", "")
        return f"field '{at['at'].lstrip('.')}': {message[:1].lower()}{message[1:]}"
    text = text.replace("`", "")
    return f"{text[:1].lower()}{text[1:]}"


def _too_big(budget: int) -> str:
    return (
        f"document is over {budget} bytes ({DOCUMENT_FACTOR} x RAPPORT_MAX_RECORD_BYTES); "
        "write one response per line instead"
    )


def _oversize(limit: int) -> str:
    return f"record is over {limit} bytes (RAPPORT_MAX_RECORD_BYTES)"


def _problem(body: bytes) -> str | None:
    """Why `body` is not one X API response, or None."""
    try:
        _response.decode(body)
    except msgspec.ValidationError:
        return "not an X API v2 response: expected a JSON object"
    except DECODE_ERRORS as error:
        return describe_decode_error(error)
    return None


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end of the stream (raw streams may read short)."""
    parts: list[bytes] = []
    while size > 0:
        part = stream.read(min(size, 1 << 20))
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


class _Prefixed(io.RawIOBase):
    """Bytes already read, then the rest of the stream: lets line reading start over."""

    def __init__(self, head: bytes, tail: BinaryIO) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._tail = tail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            size = min(len(view), len(self._head))
            view[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._tail.read(len(view))
        view[: len(data)] = data
        return len(data)
