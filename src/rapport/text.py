"""Text clean-up and entity extraction for social posts, written for speed on the hot path.

Clean-up makes hostile or sloppy text safe to store and compare: Unicode NFC, no control
characters (newline and tab stay), no bidirectional overrides that could disguise what a
post says, CRLF folded to LF, outer whitespace trimmed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# C0/C1 controls except tab and newline; bidi embeddings, overrides and isolates (they make
# text render differently than it reads); BOM and non-characters.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]")


def clean_text(text: str) -> str:
    if text.isascii() and text.isprintable():
        # No control characters (CR, tab and newline included): nothing to fold or remove.
        return text.strip()
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if _UNSAFE.search(text) is not None:
        text = _UNSAFE.sub("", text)
    return text.strip()


class Entities(NamedTuple):
    hashtags: tuple[str, ...]
    mentions: tuple[str, ...]
    cashtags: tuple[str, ...]
    urls: tuple[str, ...]


# The sigil comes first so the regex engine can jump between sigils; the lookbehind after it
# rejects e-mail addresses ("a@b.com"), "x#y" and "US$5".
_HASHTAG = re.compile(r"#(?<![\w&/#]#)(\w*[^\W\d]\w*)")
_MENTION = re.compile(r"@(?<![\w@.]@)(\w{1,50})")
_CASHTAG = re.compile(r"\$(?<![\w$]\$)([A-Za-z]{1,6}(?:[._][A-Za-z]{1,2})?)\b")
# Alternatives that start with literals let the regex engine skip to those characters.
_URL = re.compile(r"https?://[^\s<>\"'`]+|www\.[^\s<>\"'`]+")
_TRAILING = ".,;:!?)]}'\"»”’…"
_EMPTY = Entities((), (), (), ())


def extract_entities(text: str) -> Entities:
    """Hashtags, mentions and cashtags (lower-cased, no sigil, first occurrence order) and URLs.

    A membership test per sigil skips most regex scans on the many posts without entities.
    """
    if "＃" in text or "＠" in text:
        text = text.replace("＃", "#").replace("＠", "@")
    hashtags = _unique_lower(_HASHTAG.findall(text)) if "#" in text else ()
    mentions = _unique_lower(_MENTION.findall(text)) if "@" in text else ()
    cashtags = tuple(dict.fromkeys(_CASHTAG.findall(text))) if "$" in text else ()
    urls: tuple[str, ...] = ()
    if "http" in text or "www." in text:
        urls = tuple(
            dict.fromkeys(u for u in (u.rstrip(_TRAILING) for u in _URL.findall(text)) if "." in u)
        )
    if not (urls or hashtags or mentions or cashtags):
        return _EMPTY
    return Entities(hashtags, mentions, tuple(c.upper() for c in cashtags), urls)


def _unique_lower(found: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.lower() for f in found))


def merge(given: tuple[str, ...], found: tuple[str, ...]) -> tuple[str, ...]:
    """`given` then anything `found` adds, without repeats."""
    if not given:
        return found
    if not found:
        return given
    return tuple(dict.fromkeys((*given, *found)))
