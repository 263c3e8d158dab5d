"""Near-duplicate fingerprints: copies of one message fold into one case.

Copy-paste campaigns, bots and people re-posting a complaint by hand change the mentions,
links, case, punctuation, numbers and emoji, and keep the words. The fingerprint is a hash
of the words that remain once those are gone. Short texts ("help!", "hello?") say too
little to call two of them the same message, so they get no fingerprint.
"""

from __future__ import annotations

import re
from hashlib import blake2b

_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+|\d+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
MIN_WORDS = 5
# Scripts written without spaces have no words to count, so count characters there.
MIN_CHARS_UNSPACED = 12


def fingerprint(text: str) -> str | None:
    """A 16-hex-digit key equal for near-duplicate texts, or None when too short to tell."""
    words = _WORD.findall(_NOISE.sub(" ", text.casefold()))
    long_enough = len(words) >= MIN_WORDS or any(
        len(w) >= MIN_CHARS_UNSPACED and not w.isascii() for w in words
    )
    if not long_enough:
        return None
    return blake2b(" ".join(words).encode(), digest_size=8).hexdigest()
