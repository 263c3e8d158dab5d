"""The guard's view of a text: what it says once the disguises people use to slip personal
data past a filter are taken off (`privacy.py` matches on the view).

Three passes, each remembering where every character of its output came from, so that a
finding in the view still points at the characters the customer or agent wrote:

1. characters that show nothing (zero-width spaces and joiners, soft hyphens, direction
   marks) are dropped, so "4111\u200b1111" is one group again;
2. runs of three or more digits written as words, in the guard's languages ("four one one
   one", "cuatro uno uno", "cinq six sept", "一三八"), become digits;
3. runs of six or more single digits with short separators between them ("4 1 1 1 1 1")
   are closed up, and an underscore, tab or line break between digits reads as a space.

Digits that came from words or from closed-up runs are marked `disguised`: a long number
that someone took the trouble to hide is personal data even without the shape of one.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapport.care import privacy_patterns as pp


@dataclass(frozen=True, slots=True)
class View:
    """`text` as the guard reads it; character `i` of it came from `source[starts[i]:ends[i]]`."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    disguised: bytes  # 1 where the character came from words or a closed-up run

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span that the view's `[start, end)` came from."""
        return self.starts[start], self.ends[end - 1]


# One edit: replace source[a:b] by `text`, every character of which came from a..b.
_Edit = tuple[int, int, str]


def _apply(
    source: str, edits: list[_Edit], flags: bytes
) -> tuple[str, list[int], list[int], bytearray]:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    marks = bytearray()
    pos = 0
    for a, b, text in edits:
        out.append(source[pos:a])
        starts.extend(range(pos, a))
        ends.extend(range(pos + 1, a + 1))
        marks += flags[pos:a]
        out.append(text)
        starts.extend([a] * len(text))
        ends.extend([b] * len(text))
        marks += b"\x01" * len(text) if text else b""
        pos = b
    out.append(source[pos:])
    starts.extend(range(pos, len(source)))
    ends.extend(range(pos + 1, len(source) + 1))
    marks += flags[pos:]
    return "".join(out), starts, ends, marks


def _invisible(text: str) -> list[_Edit]:
    return [(m.start(), m.end(), "") for m in pp.INVISIBLE.finditer(text)]


def _number_words(text: str) -> list[_Edit]:
    edits: list[_Edit] = []
    for run in pp.NUMBER_RUN.finditer(text):
        digits, repeat = [], 1
        for word in pp.NUMBER_WORD.finditer(text, run.start(), run.end()):
            value = word.group().casefold()
            if value in pp.REPEATERS:
                repeat = pp.REPEATERS[value]
                continue
            digits.append(pp.NUMBER_WORDS[value] * repeat)
            repeat = 1
        if len(digits) >= 3:
            edits.append((run.start(), run.end(), "".join(digits)))
    return edits


def _close_up(text: str) -> list[_Edit]:
    edits: list[_Edit] = []
    for run in pp.SPACED_DIGITS.finditer(text):
        gaps = pp.SPACED_GAP.finditer(text, run.start(), run.end())
        edits += [(m.start(), m.end(), "") for m in gaps]
    return edits


def _compose(
    outer_starts: list[int], outer_ends: list[int], inner_starts: list[int], inner_ends: list[int]
) -> tuple[list[int], list[int]]:
    """Maps of a pass over a pass's output, expressed in the first pass's input."""
    return [outer_starts[i] for i in inner_starts], [outer_ends[i - 1] for i in inner_ends]


def view(folded: str) -> View:
    """The view of `folded` (text whose digits, spaces and dashes are already ASCII)."""
    text, starts, ends, marks = _apply(folded, _invisible(folded), bytes(len(folded)))
    for edits in (_number_words, _close_up):
        found = edits(text)
        if not found:
            continue
        text, inner_starts, inner_ends, marks = _apply(text, found, bytes(marks))
        starts, ends = _compose(starts, ends, inner_starts, inner_ends)
    # Closed-up runs mark their digits as disguised too (the edit dropped only separators).
    for run in pp.CLOSED_UP.finditer(text):
        length = run.end() - run.start()
        if ends[run.end() - 1] - starts[run.start()] > length:
            marks[run.start() : run.end()] = b"\x01" * (run.end() - run.start())
    text = pp.LINE_BETWEEN_DIGITS.sub(lambda m: " " * len(m.group()), text)
    return View(text, tuple(starts), tuple(ends), bytes(marks))
