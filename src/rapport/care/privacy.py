"""The personal-data guard: replies that would post personal data publicly are stopped, and
personal data in incoming posts is masked for roles that do not need it.

`find_personal_data` looks for card numbers (Luhn), IBANs (ISO 13616 mod 97), account
numbers (after an account word in one of the 12 languages), phone numbers, e-mail and
postal addresses. `check_reply` turns the findings into a verdict and advice for the agent,
whose desk then offers the private-message route; `mask` replaces what was found with a
typed placeholder that keeps a hint (the last digits, the mail domain) and not the data.

Precision matters as much as recall: a guard that stops every reply quoting an order
number or a date gets switched off. So numbers must pass their check digits, and the
shapes without check digits (phones, accounts, addresses) need a cue: a "+", a trunk "0",
brackets, a cue word before them, or a street word.

Digits are folded to ASCII first, one character for one, so a card number written in
Arabic-Indic or full-width digits is caught. Then the matching runs on the guard's view
(`privacy_view.py`): invisible characters dropped, digits written as words read as digits,
spaced-out digits closed up; offsets are mapped back, so findings point into the original
text. Cards cut into pieces by mixed separators or words are `privacy_cards.py`'s.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal, get_args

from rapport.care import privacy_patterns as pp
from rapport.care.privacy_cards import card_digits_ok, loose_card_spans, luhn
from rapport.care.privacy_view import View, view

Kind = Literal["card_number", "iban", "account_number", "phone", "email", "postal_address"]
KINDS: frozenset[str] = frozenset(get_args(Kind))


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal data: its kind, where it is in the text, and why it counts."""

    kind: Kind
    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReplyCheck:
    """Whether a reply may go out publicly; if not, what was found and what to tell the agent."""

    allowed: bool
    findings: tuple[Finding, ...]
    advice: str


class _Fold(dict[int, int]):
    """`str.translate` table built on demand: any decimal digit to ASCII, any space to " ",
    any dash to "-", full-width forms to ASCII. One character always maps to one, so
    offsets survive."""

    def __missing__(self, code: int) -> int:
        out = code
        if code > 127:
            ch = chr(code)
            digit = unicodedata.decimal(ch, None)
            category = unicodedata.category(ch)
            if digit is not None:
                out = 48 + digit
            elif category == "Zs":
                out = 32
            elif category == "Pd":
                out = 45
            else:
                folded = unicodedata.normalize("NFKC", ch)
                if len(folded) == 1 and folded.isascii():
                    out = ord(folded)
        self[code] = out
        return out


_FOLD = _Fold()


def _normalise(text: str) -> str:
    return text.translate(_FOLD)


# Earlier kinds win where two findings overlap: the more specific check decides.
_RANK: dict[Kind, int] = {
    "email": 0,
    "iban": 1,
    "card_number": 2,
    "account_number": 3,
    "postal_address": 4,
    "phone": 5,
}


@dataclass(slots=True)
class _Chain:
    start: int
    end: int
    groups: list[tuple[int, int]]
    plus: bool


def _iban_ok(candidate: str) -> bool:
    rearranged = candidate[4:] + candidate[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def _chains(norm: str) -> list[_Chain]:
    out = []
    for m in pp.CHAIN.finditer(norm):
        groups = [(g.start(), g.end()) for g in pp.GROUP.finditer(norm, m.start(), m.end())]
        out.append(_Chain(m.start(), m.end(), groups, norm[m.start()] == "+"))
    return out


def _digits(norm: str, groups: Iterable[tuple[int, int]]) -> str:
    return "".join(norm[s:e] for s, e in groups)


# Card groupings after the first group of 4: 4-4-4-4, 4-4-4-4-1..3 (19 digits), 4-6-5 (Amex)
# and 4-6-4 (Diners). Anything else is split some other way and is not read as a card.
_CARD_TAILS = ((4, 4, 4), (4, 4, 4, 1), (4, 4, 4, 2), (4, 4, 4, 3), (6, 5), (6, 4))
_CARD_PREFIXES = frozenset(t[:n] for t in _CARD_TAILS for n in range(len(t) + 1))


def _card_spans(norm: str, chain: _Chain) -> list[tuple[int, int]]:
    """Card numbers in a chain: a single 13-19 digit group, or groups in a card's grouping
    with one kind of separator, that start with a card network's digit and pass Luhn.
    Windows let "4111 1111 1111 1111 12/27" still yield the card."""
    if chain.plus or norm[chain.start] == "(":
        return []
    groups, spans, i = chain.groups, [], 0
    while i < len(groups):
        first = groups[i][1] - groups[i][0]
        found = i if 13 <= first <= 19 and _card_ok(norm, groups[i : i + 1]) else None
        if first == 4:
            tail: tuple[int, ...] = ()
            sep = norm[groups[i][1] : groups[i + 1][0]] if i + 1 < len(groups) else ""
            for j in range(i + 1, len(groups)):
                tail += (groups[j][1] - groups[j][0],)
                same_sep = norm[groups[j - 1][1] : groups[j][0]] == sep
                if tail not in _CARD_PREFIXES or not same_sep or sep not in (" ", "-", "."):
                    break
                if tail in _CARD_TAILS and _card_ok(norm, groups[i : j + 1]):
                    found = j
        if found is None:
            i += 1
        else:
            spans.append((groups[i][0], groups[found][1]))
            i = found + 1
    return spans


def _card_ok(norm: str, groups: list[tuple[int, int]]) -> bool:
    digits = _digits(norm, groups)
    return digits[0] in "23456" and luhn(digits)


def _money_or_unit(norm: str, start: int, end: int) -> bool:
    before = norm[max(0, start - 5) : start]
    after = norm[end : end + 8]
    if pp.CURRENCY_BEFORE.search(before) or pp.CURRENCY_AFTER.match(after):
        return True
    if re.match(r"[.,][0-9]", after):
        return True  # "(617,33 zł)": the chain stopped at a decimal point
    return end < len(norm) and norm[end].isascii() and norm[end].isalpha()


def _after_cue(norm: str, cue_ends: list[int], start: int) -> bool:
    """True when a cue word ends shortly before `start` with only filler words between."""
    i = bisect.bisect_right(cue_ends, start) - 1
    if i < 0:
        return False
    gap = norm[cue_ends[i] : start]
    if len(gap) > 40 or any(ch in gap for ch in "!?\n"):
        return False
    tokens = pp.GAP_TOKEN.findall(gap.casefold())
    return len(tokens) <= 4 and all(
        t in pp.FILLERS or all(ch in pp.CJK_FILLER_CHARS for ch in t) for t in tokens
    )


def _is_phone_shape(norm: str, chain: _Chain, count: int) -> bool:
    sizes = [e - s for s, e in chain.groups]
    seps = [norm[a[1] : b[0]] for a, b in pairwise(chain.groups)]
    plain = {s.strip(" ()") for s in seps} - {""}
    if not chain.plus and ((len(plain) > 1 and plain != {"-"}) or "/" in plain):
        # Mixed "." and " " is a list of decimals, not a number someone dials.
        return False
    if plain == {"."} and all(n == 3 for n in sizes[1:]):
        return False  # 12.345.678 is an amount
    digits = _digits(norm, chain.groups)
    if chain.plus or (digits.startswith("00") and len(sizes) >= 2):
        # "00" is how much of Europe dials "+".
        return 8 <= len(digits.removeprefix("00")) <= 15 and len(sizes) <= 7
    if not 8 <= count <= 13 or len(sizes) < 2 or len(sizes) > 6:
        return False
    if "(" in norm[chain.start : chain.end]:
        return True
    if digits[0] == "0":
        return sizes[0] in (2, 3, 4, 5) and min(sizes) >= 2
    tail = sizes[1:] if sizes[0] == 1 else sizes
    return (
        tail == [3, 3, 4]
        or (tail == [3, 4, 4] and digits[int(sizes[0] == 1)] == "1")
        or (sizes == [5, 5] and digits[0] in "6789")
        or (sizes == [3, 2, 2, 2] and digits[0] in "6789")
    )


def _plausible_date(m: re.Match[str]) -> bool:
    a, b, c = (int(n) for n in re.findall(r"[0-9]+", m.group()))
    if a > 31:  # year first
        return 1 <= b <= 12 and 1 <= c <= 31
    return 1 <= a <= 31 and 1 <= b <= 31 and min(a, b) <= 12


def _blank_dates(norm: str) -> str:
    """`norm` with dates and tracking numbers blanked out, so no number is cut from them."""
    norm = pp.USPS_TRACKING.sub(lambda m: "x" * len(m.group()), norm)
    return pp.DATE.sub(lambda m: "x" * len(m.group()) if _plausible_date(m) else m.group(), norm)


def _disguised_email(m: re.Match[str]) -> bool:
    """Whether a spelled-out address is one: "at" as a bare word needs a written dot (or a
    mail provider's domain), so that "write to us at novacard.com" passes."""
    if m.group("word") is None:
        return True
    domain = m.group("domain")
    return bool(pp.DOT_WRITTEN.search(domain)) or (
        re.split(r"[\s.\[({<]", domain, maxsplit=1)[0].casefold() in pp.MAIL_PROVIDERS
    )


def _counting(digits: str) -> bool:
    """ "0 1 2 3 4 5 6 7 8 9" counts; it is nobody's number."""
    steps = {(ord(b) - ord(a)) % 10 for a, b in pairwise(digits)}
    return steps in ({1}, {9})


def _disguised_runs(
    v: View, account_cues: list[int], phone_cues: list[int]
) -> Iterable[tuple[Kind, int, int, str]]:
    """Numbers someone took the trouble to hide (written as words, spaced out, split by
    invisible characters): 7 or more such digits are personal data of some kind."""
    norm = v.text
    for m in pp.CLOSED_UP.finditer(norm):
        start, end = m.start(), m.end()
        if v.disguised[start:end].count(1) != end - start or end - start > 34:
            continue
        digits = m.group()
        spelled = v.ends[end - 1] - v.starts[start] >= 2 * (end - start)
        if card_digits_ok(digits):
            yield "card_number", start, end, "a card number, disguised, that passes the Luhn check"
        elif _after_cue(norm, account_cues, start):
            yield "account_number", start, end, "an account number after an account word"
        elif _after_cue(norm, phone_cues, start) or norm[start - 2 : start].strip() == "+":
            yield "phone", start, end, "a phone number after a phone word"
        elif (end - start >= 7 if spelled else 8 <= end - start <= 15) and not _counting(digits):
            yield "phone", start, end, "a number of 7 or more digits, hidden or spelled out"


def _candidates(v: View) -> Iterable[tuple[Kind, int, int, str]]:
    norm = v.text
    for m in pp.EMAIL.finditer(norm):
        yield "email", m.start(), m.end(), "an e-mail address"
    for m in pp.EMAIL_DISGUISED.finditer(norm):
        if _disguised_email(m):
            yield "email", m.start(), m.end(), "an e-mail address written to dodge a filter"
    for m in pp.IBAN.finditer(norm):
        country = m.group(1).upper()
        length = pp.IBAN_LENGTHS.get(country)
        if length is None:
            continue
        kept, end = [], m.start()
        for pos in range(m.start(), m.end()):
            if norm[pos].isalnum():
                kept.append(norm[pos].upper())
                end = pos + 1
                if len(kept) == length:
                    break
        boundary = end == len(norm) or not norm[end].isascii() or not norm[end].isalnum()
        if len(kept) == length and boundary and _iban_ok("".join(kept)):
            yield "iban", m.start(), end, "an IBAN with a valid ISO 13616 check"
    chains = _chains(_blank_dates(norm))
    account_cues = sorted(m.end() for m in pp.ACCOUNT_KEYWORDS.finditer(norm))
    phone_cues = sorted(m.end() for m in pp.PHONE_KEYWORDS.finditer(norm))
    for chain in chains:
        for s, e in _card_spans(norm, chain):
            yield "card_number", s, e, "a card number that passes the Luhn check"
        count = sum(e - s for s, e in chain.groups)
        if count < 6 or _money_or_unit(norm, chain.start, chain.end):
            continue
        seps = {norm[a[1] : b[0]] for a, b in pairwise(chain.groups)}
        if (
            count <= 20
            and seps <= {" ", "-"}
            and not chain.plus
            and _after_cue(norm, account_cues, chain.start)
        ):
            yield (
                "account_number",
                chain.start,
                chain.end,
                "an account number after an account word",
            )
        if count < 8 or norm[chain.start - 1 : chain.start] in ("#", "@"):
            continue
        if _is_phone_shape(norm, chain, count):
            yield "phone", chain.start, chain.end, "a phone number"
        elif count <= 15 and len(chain.groups) <= 7 and _after_cue(norm, phone_cues, chain.start):
            yield "phone", chain.start, chain.end, "a phone number after a phone word"
    # After the chains: where both find the same card, the plainer reason is given.
    for s, e in loose_card_spans(_blank_dates(norm)):
        yield "card_number", s, e, "a card number, split up, that passes the Luhn check"
    yield from _disguised_runs(v, account_cues, phone_cues)
    for m in pp.UK_POSTCODE.finditer(norm):
        if m.group(1) not in pp.UK_INWARD_UNITS:
            yield "postal_address", m.start(), m.end(), "a UK postcode"
    for m in pp.US_ZIP.finditer(norm):
        yield "postal_address", m.start(), m.end(), "a US ZIP code"
    for pattern in (pp.US_STREET, pp.FRENCH_STREET, pp.GERMAN_STREET, pp.RUSSIAN_STREET,
                    pp.TURKISH_STREET, pp.CHINESE_STREET, pp.ARABIC_STREET):  # fmt: skip
        for m in pattern.finditer(norm):
            yield "postal_address", m.start(), m.end(), "a street address"
    for m in pp.STREET_FIRST.finditer(norm):
        following = pp.NEXT_WORD.match(norm, m.end())
        if following is None or following.group(1).casefold() not in pp.UNIT_WORDS:
            yield "postal_address", m.start(), m.end(), "a street address"


def find_personal_data(text: str) -> list[Finding]:
    """Personal data in `text`, in order and non-overlapping, with offsets into `text`."""
    v = view(_normalise(text))
    norm = v.text
    urls = [(m.start(), m.end()) for m in pp.URL.finditer(norm)]
    url_starts = [s for s, _ in urls]
    claimed = bytearray(len(norm))
    kept: list[Finding] = []
    ranked = sorted(_candidates(v), key=lambda c: (_RANK[c[0]], c[1], c[1] - c[2]))
    for kind, start, end, reason in ranked:
        if kind != "email":
            # Digits in links are ids and paths (a tweet's status id), never data to hide.
            i = bisect.bisect_right(url_starts, end - 1) - 1
            if i >= 0 and urls[i][1] > start:
                continue
        if claimed.find(1, start, end) != -1:
            continue
        claimed[start:end] = b"\x01" * (end - start)
        first, last = v.span(start, end)
        kept.append(Finding(kind, first, last, text[first:last], reason))
    kept.sort(key=lambda f: f.start)
    return kept


def _placeholder(finding: Finding) -> str:
    norm = view(_normalise(finding.text)).text
    digits = "".join(ch for ch in norm if ch.isdigit())
    if finding.kind == "card_number":
        return f"•••• •••• •••• {digits[-4:]}"
    if finding.kind == "phone":
        return f"••• ••• ••{digits[-2:]}"
    if finding.kind == "email":
        if "@" not in finding.text:
            return "[e-mail address]"
        local, _, domain = finding.text.rpartition("@")
        return f"{local[:1]}•••@{domain}"
    if finding.kind == "iban":
        return f"[IBAN …{norm.replace(' ', '')[-2:]}]"
    if finding.kind == "account_number":
        return "[account number]"
    return "[address]"


def mask(text: str, kinds: frozenset[str] | None = None) -> str:
    """`text` with each finding (of `kinds`, default all) replaced by a typed placeholder."""
    if kinds is not None and not kinds <= KINDS:
        raise ValueError(f"unknown kinds: {sorted(kinds - KINDS)}; known: {sorted(KINDS)}")
    parts, pos = [], 0
    for finding in find_personal_data(text):
        if kinds is None or finding.kind in kinds:
            parts += [text[pos : finding.start], _placeholder(finding)]
            pos = finding.end
    parts.append(text[pos:])
    return "".join(parts)


def check_reply(text: str) -> ReplyCheck:
    """Whether `text` may be posted as a public reply. Any personal data stops it, and the
    advice tells the agent what was found, where, and to use a private message."""
    findings = tuple(find_personal_data(text))
    if not findings:
        return ReplyCheck(allowed=True, findings=(), advice="")
    items = "; ".join(
        f"{f.reason} ({_placeholder(f)}) at characters {f.start + 1}-{f.end}" for f in findings
    )
    advice = (
        f"This public reply would expose personal data: {items}. Remove it, or send it "
        "as a private message instead."
    )
    return ReplyCheck(allowed=False, findings=findings, advice=advice)
