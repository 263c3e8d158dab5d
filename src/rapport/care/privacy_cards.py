"""Card numbers cut into pieces: groups joined by any mix of separators ("4111/1111_1111
-1111"), by a few words ("starts 4111 then 1111 and 1111 and ends 1111"), or digits spaced
one or two at a time with mixed separators.

The Luhn check alone passes one random number in ten, so a window of pieces counts only
when it is cut the way cards are printed (4-4-4-4, 4-4-4-4-1..3, 4-6-5, 4-6-4), or is
made of pieces of one or two digits, which no price, date or order number is; and groups
that all read as years (2024 and 2025 ...) are a list of years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Card groupings after a first group of 4 (as in `privacy._card_spans`).
CARD_TAILS = frozenset({(4, 4, 4), (4, 4, 4, 1), (4, 4, 4, 2), (4, 4, 4, 3), (6, 5), (6, 4)})
_TAIL_PREFIXES = frozenset(t[:n] for t in CARD_TAILS for n in range(len(t) + 1))

# A piece glued to a word ("ORD-2026", "A320") belongs to an identifier.
_GROUP = re.compile(r"(?<![A-Za-z])(?<![A-Za-z]-)[0-9]+(?![A-Za-z])")
# Between pieces: up to 5 separator characters (markdown's "**" among them), or up to 3
# short words with separators around them, on one line and within one sentence.
_TIGHT = re.compile(r"[ \t\n\r._/\\|,:;~*\-–—]{1,5}")
_WORDY = re.compile(r"[ ,:;\-/_]{0,3}(?:[^\W\d_]{1,12}[ ,:;\-/_]{1,3}){1,3}")
_SMALL_GAP = re.compile(r"[ \t\n\r_/\\|:;~\-]{1,3}")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_digits_ok(digits: str) -> bool:
    """A card network's first digit (2-6) and a passing Luhn check."""
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn(digits)


@dataclass(frozen=True, slots=True)
class _Piece:
    start: int
    end: int
    digits: str
    small_gap: bool  # joined to the piece before it by one to three separators


def _runs(text: str) -> list[list[_Piece]]:
    runs: list[list[_Piece]] = []
    current: list[_Piece] = []
    for m in _GROUP.finditer(text):
        if current:
            gap = text[current[-1].end : m.start()]
            joined = _TIGHT.fullmatch(gap) or _WORDY.fullmatch(gap)
            if not joined:
                runs.append(current)
                current = []
        small = bool(current) and _SMALL_GAP.fullmatch(text[current[-1].end : m.start()])
        current.append(_Piece(m.start(), m.end(), m.group(), bool(small)))
    if current:
        runs.append(current)
    return [run for run in runs if len(run) > 1]


def _grouped(run: list[_Piece], i: int) -> int | None:
    """The last piece of a card printed in groups that starts at piece `i`, if any."""
    if len(run[i].digits) != 4:
        return None
    found: int | None = None
    tail: tuple[int, ...] = ()
    for j in range(i + 1, min(len(run), i + 6)):
        tail = (*tail, len(run[j].digits))
        if tail not in _TAIL_PREFIXES:
            break
        pieces = run[i : j + 1]
        if (
            tail in CARD_TAILS
            and card_digits_ok("".join(p.digits for p in pieces))
            and not all(_YEAR.fullmatch(p.digits) for p in pieces)
        ):
            found = j
    return found


def _spaced(run: list[_Piece], i: int) -> int | None:
    """The last piece of a card spaced one or two digits at a time from piece `i`, if any."""
    digits, found = "", None
    if run[i].digits[0] not in "23456":
        return None
    for j in range(i, len(run)):
        piece = run[j]
        if len(piece.digits) > 2 or (j > i and not piece.small_gap):
            break
        digits += piece.digits
        if len(digits) > 19:
            break
        if len(digits) >= 13 and card_digits_ok(digits):
            found = j
    return found


def loose_card_spans(text: str) -> list[tuple[int, int]]:
    """Spans of card numbers cut into pieces in `text`, non-overlapping."""
    spans = []
    for run in _runs(text):
        i = 0
        while i < len(run):
            last = _grouped(run, i)
            if last is None:
                last = _spaced(run, i)
            if last is None:
                i += 1
            else:
                spans.append((run[i].start, run[last].end))
                i = last + 1
    return spans
