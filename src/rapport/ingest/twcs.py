"""The "Customer Support on Twitter" CSV (Kaggle thoughtvector/customer-support-on-twitter).

Header `tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id`,
sometimes after an unnamed index column that pandas adds when it saves the file again.

The bytes are cut into CSV records here rather than by the csv module, and each record is then
decoded and parsed on its own: invalid UTF-8 costs one row, not the file. A record is complete
when it holds an even number of quote characters. A stray quote that never closes is cut off at
MAX_RECORD_LINES lines or RAPPORT_MAX_RECORD_BYTES; its first line is then judged alone and
reading starts again on the line after it, so one broken row cannot swallow the rest.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import BinaryIO, NamedTuple

from rapport.ingest.base import (
    KEEP_OF_OVERSIZE,
    Parsed,
    Reader,
    describe_decode_error,
    lines,
    problem_with,
)
from rapport.records import MAX_ID_CHARS, Author, Post

HEADER = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
)
REQUIRED = ("tweet_id", "author_id", "created_at", "text")
# An unbalanced quote is given up on after this many physical lines: real tweets are far shorter.
MAX_RECORD_LINES = 200
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_ZONES: dict[str, tzinfo] = {"+0000": UTC, "-0000": UTC}
_DATE_EXAMPLE = "Tue Oct 31 22:10:47 +0000 2017"

_Line = tuple[int, bytes, bool]  # (line number, bytes without the newline, too long)


class _Columns(NamedTuple):
    """Where each field is in a row, from the header; the optional ones may be absent."""

    width: int
    tweet_id: int
    author_id: int
    created_at: int
    text: int
    inbound: int | None
    reply_to: int | None


class TwcsReader(Reader):
    format = "twcs"

    def read(self, stream: BinaryIO, source: str) -> Iterator[Parsed]:
        limit = self.limits.max_record_bytes
        pending = _PhysicalLines(stream, limit)
        first = pending.next()
        if first is None:
            return
        _, header, too_long = first
        columns = _columns(header) if not too_long else "the header line is over the byte limit"
        if isinstance(columns, str):
            # Without the header no row can be read; one reject says so instead of thousands.
            yield self.reject(source, "line 1", columns, header[:KEEP_OF_OVERSIZE])
            return
        row = 0
        while (line := pending.next()) is not None:
            number, head, too_long = line
            if not too_long and not head.strip():
                continue  # a blank line between records holds no row
            row += 1
            where = f"row {row} (line {number})"
            if too_long:
                reason = f"record is over {limit} bytes (RAPPORT_MAX_RECORD_BYTES)"
                yield self.reject(source, where, reason, header + b"\n" + head)
                continue
            taken, unclosed = _take_record(line, pending, limit)
            record = b"\n".join(part for _, part, _ in taken)
            raw = header + b"\n" + record
            if unclosed is None:
                try:
                    text = record.decode("utf-8")
                except UnicodeDecodeError as error:
                    yield self.reject(source, where, describe_decode_error(error), raw)
                    continue
                fields = _split(text, columns)
                span = f"lines {number}-{taken[-1][0]}"
                if isinstance(fields, str):
                    if len(taken) == 1:
                        yield self.reject(source, where, fields, raw)
                        continue
                    unclosed = f"{span} do not make one row ({fields})"
                elif len(taken) > 1 and any(_is_row(part, columns) for _, part, _ in taken[1:]):
                    # Two stray quotes can close each other over whole rows: a row is no text.
                    unclosed = f"{span} make one row only by swallowing rows"
                else:
                    yield self._row(fields, columns, where, source, raw)
                    continue
            # Resynchronise: most likely a stray quote joined lines that are rows of their own.
            pending.push_back(taken[1:])
            yield self._alone(head, columns, where, source, header, unclosed, number)

    def _alone(
        self,
        line: bytes,
        columns: _Columns,
        where: str,
        source: str,
        header: bytes,
        problem: str,
        number: int,
    ) -> Parsed:
        """The first line of a record that went wrong, judged as a row by itself."""
        raw = header + b"\n" + line
        try:
            fields = _split(line.decode("utf-8"), columns)
        except UnicodeDecodeError as error:
            fields = describe_decode_error(error)
        if not isinstance(fields, str):
            return self._row(fields, columns, where, source, raw)
        reason = f"{problem}; line {number} alone is no row either ({fields}); reading goes on"
        return self.reject(source, where, f"{reason} at line {number + 1}", raw)

    def _row(
        self, fields: list[str], columns: _Columns, where: str, source: str, raw: bytes
    ) -> Parsed:
        post = _post(fields, columns)
        problem = (
            post if isinstance(post, str) else problem_with(post, self.limits, nul=b"\x00" in raw)
        )
        if problem is None and isinstance(post, Post):
            return post
        return self.reject(source, where, problem or "unreadable row", raw)


def _post(fields: list[str], columns: _Columns) -> Post | str:
    """The row as a post, or why it is not one."""
    given_id = fields[columns.tweet_id]
    tweet_id = _tweet_id(given_id)
    if tweet_id is None:
        if not given_id.strip():
            return "tweet_id is empty"
        return f"tweet_id {given_id[:40]!r} is not a tweet id"
    if len(tweet_id) > MAX_ID_CHARS:
        return f"source_id {tweet_id[:40]!r}... is over {MAX_ID_CHARS} characters"
    author_id = fields[columns.author_id].strip()
    if not author_id:
        return "author_id is empty"
    if len(author_id) > MAX_ID_CHARS:
        return f"author_id {author_id[:40]!r}... is over {MAX_ID_CHARS} characters"
    if columns.inbound is not None:
        # Checked though unused: anything but True/False means the row's columns are shifted.
        inbound = fields[columns.inbound]
        if inbound.strip().lower() not in ("true", "false"):
            return f"inbound {inbound[:40]!r} is not True or False"
    created_at = parse_created_at(fields[columns.created_at])
    if created_at is None:
        given = fields[columns.created_at][:60]
        return f"created_at {given!r} is not a date like {_DATE_EXAMPLE!r}"
    reply_to = None
    if columns.reply_to is not None and fields[columns.reply_to].strip():
        reply_to = _tweet_id(fields[columns.reply_to])
        if reply_to is None:
            given = fields[columns.reply_to][:40]
            return f"in_response_to_tweet_id {given!r} is not a tweet id"
        if len(reply_to) > MAX_ID_CHARS:
            return f"reply_to_id {reply_to[:40]!r}... is over {MAX_ID_CHARS} characters"
    return Post(
        network="x",
        source_id=tweet_id,
        # Brands appear by handle, customers by an anonymised number: either serves as both.
        author=Author(source_id=author_id, handle=author_id),
        text=fields[columns.text],
        created_at=created_at,
        # conversation_id stays None: the store roots threads from reply_to_id, and a row may
        # come before its parent.
        reply_to_id=reply_to,
    )


class _PhysicalLines:
    """The stream's lines in bounded memory, with lines that were read too far handed back."""

    def __init__(self, stream: BinaryIO, max_bytes: int) -> None:
        self._lines = lines(stream, max_bytes)
        self._back: deque[_Line] = deque()

    def next(self) -> _Line | None:
        if self._back:
            return self._back.popleft()
        return next(self._lines, None)

    def push_back(self, taken: list[_Line]) -> None:
        self._back.extendleft(reversed(taken))


def _take_record(
    first: _Line, pending: _PhysicalLines, limit: int
) -> tuple[list[_Line], str | None]:
    """The physical lines of the record starting at `first`, and why it is unclosed, if it is.

    An odd number of quotes so far means a quoted field is still open (a doubled quote inside
    one counts two), so the next line belongs to the same record.
    """
    taken = [first]
    quotes = first[1].count(b'"')
    size = len(first[1])
    while quotes % 2:
        line = pending.next()
        if line is None:
            return taken, f"the quote opened on line {first[0]} is not closed by the end of file"
        _, part, too_long = line
        if too_long or size + 1 + len(part) > limit or len(taken) >= MAX_RECORD_LINES:
            pending.push_back([line])
            return taken, (
                f"the quote opened on line {first[0]} is not closed within "
                f"{MAX_RECORD_LINES} lines and {limit} bytes (RAPPORT_MAX_RECORD_BYTES)"
            )
        taken.append(line)
        quotes += part.count(b'"')
        size += 1 + len(part)
    return taken, None


def _split(text: str, columns: _Columns) -> list[str] | str:
    """The fields of one record, or why it is not a row of this file."""
    if '"' not in text and "\r" not in text and "\n" not in text:
        fields = text.split(",")  # most rows: no quoting, and much faster than csv
    else:
        # A bare CR inside a field (the Kaggle file has one) is text, but csv's reader takes it
        # for a line break; it travels as a character the record does not hold, and back.
        stand_in = _unused_character(text) if "\r" in text else ""
        try:
            # strict: a quote that closes a field must end it, or the record is broken.
            cleaned = text.replace("\r", stand_in) if stand_in else text
            fields = next(csv.reader((cleaned,), strict=True), [])
        except csv.Error as error:
            message = str(error)
            if message == "unexpected end of data":
                message = "a quoted field is not closed"
            return f"malformed CSV: {message}"
        if stand_in:
            fields = [field.replace(stand_in, "\r") for field in fields]
    if len(fields) != columns.width:
        return f"expected {columns.width} columns as in the header, found {len(fields)}"
    return fields


def _is_row(line: bytes, columns: _Columns) -> bool:
    try:
        fields = _split(line.decode("utf-8"), columns)
    except UnicodeDecodeError:
        return False
    return not isinstance(fields, str) and not isinstance(_post(fields, columns), str)


def _unused_character(text: str) -> str:
    code = 0xE000  # the private use area: a tweet practically never holds these
    while chr(code) in text:
        code += 1
    return chr(code)


def _columns(header: bytes) -> _Columns | str:
    try:
        text = header.decode("utf-8-sig")
        names = [name.strip() for name in next(csv.reader((text,)), [])]
    except (UnicodeDecodeError, csv.Error) as error:
        return f"the header is unreadable: {error}"
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        return (
            f"not a twcs CSV: the header lacks {', '.join(missing)}; "
            f"expected {','.join(HEADER)} (an unnamed index column first is fine)"
        )

    def optional(name: str) -> int | None:
        return names.index(name) if name in names else None

    return _Columns(
        width=len(names),
        tweet_id=names.index("tweet_id"),
        author_id=names.index("author_id"),
        created_at=names.index("created_at"),
        text=names.index("text"),
        inbound=optional("inbound"),
        reply_to=optional("in_response_to_tweet_id"),
    )


def _tweet_id(value: str) -> str | None:
    """A tweet id as digits; pandas writes ids of a column with gaps as floats ("3.0")."""
    value = value.strip()
    whole, dot, fraction = value.partition(".")
    if whole.isascii() and whole.isdigit() and (not dot or fraction.strip("0") == ""):
        return whole
    return None


def _zone(zone: str) -> tzinfo | None:
    """The zone of an offset like "+0130", cached: a file holds a handful of zones at most."""
    if len(zone) != 5 or zone[0] not in "+-" or not zone[1:].isdigit() or zone[3] > "5":
        return None
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:]))
    if offset >= timedelta(days=1):
        return None
    found = _ZONES[zone] = timezone(-offset if zone[0] == "-" else offset)
    return found


def parse_created_at(value: str) -> datetime | None:
    """Twitter's classic date ("Tue Oct 31 22:10:47 +0000 2017"), or ISO 8601; None if neither.

    Parsed by hand: strptime is slow and reads month names in the process's locale.
    """
    parts = value.split()
    if len(parts) == 6:
        _, month_name, day, clock, zone, year = parts
        month = _MONTHS.get(month_name.title())
        tz = _ZONES.get(zone) or _zone(zone)
        times = clock.split(":")
        if month is None or tz is None or len(times) != 3:
            return None
        try:
            return datetime(
                int(year), month, int(day), int(times[0]), int(times[1]), int(times[2]), tzinfo=tz
            )
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
