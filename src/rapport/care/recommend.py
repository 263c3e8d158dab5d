"""Recommendations for agents: a catalogue of product features, benefits and offers, which
of them fit a case now (and why), and their ranking, learned from what customers took up.

An item fits when every eligibility condition holds (customer facts: followers, verified,
the case's sentiment and language) and at least one trigger fires (the case's intent, or
a keyword in the customer's words). Its match strength grows with the triggers that fired.
The fitting items are ordered by a Thompson sample from Beta(1 + taken up, 1 + shown - taken
up) times the match strength; with no events for any of them, by match strength alone.

Pure logic over the facts the store reads (`records/recommendations.py`); the events are
recorded by `actions/recommendations.py`, the API is `web/api/recommendations.py`. The
built-in catalogue is `catalogue.yaml` beside this file.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from rapport.errors import InputError
from rapport.nlp.intent import INTENTS
from rapport.records.recommendations import (
    EVENTS,
    CatalogueEntry,
    Eligibility,
    Facts,
    ItemStats,
    Triggers,
)

Kind = Literal["feature", "benefit", "offer"]
KINDS: tuple[str, ...] = ("feature", "benefit", "offer")
SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")
BUILT_IN = Path(__file__).with_name("catalogue.yaml")
TOP = 3
_ID = re.compile(r"^[a-z0-9_]{1,64}$")
_LANG = re.compile(r"^[a-z]{2}$")
_ITEM_KEYS = {"id", "kind", "title", "pitch", "triggers", "eligibility"}
_TRIGGER_KEYS = {"intents", "keywords", "languages"}
_ELIGIBILITY_KEYS = {"min_followers", "verified", "sentiment"}
INTENT_WEIGHT, KEYWORD_WEIGHT, MAX_KEYWORDS, CONDITION_WEIGHT = 1.0, 0.5, 2, 0.25


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    title: str
    pitch: dict[str, str]  # language -> text; "en" always present
    intents: frozenset[str] = frozenset()
    keywords: tuple[str, ...] = ()
    languages: frozenset[str] = frozenset()  # empty: any language
    min_followers: int = 0
    verified: bool | None = None  # None: either
    sentiment: frozenset[str] = frozenset()  # empty: any sentiment
    _patterns: tuple[re.Pattern[str], ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        patterns = tuple(
            re.compile(rf"(?<!\w){re.escape(k.casefold())}(?!\w)") for k in self.keywords
        )
        object.__setattr__(self, "_patterns", patterns)

    def pitch_for(self, lang: str | None) -> tuple[str, str]:
        """(language, text): the pitch in `lang`, else English."""
        if lang and lang in self.pitch:
            return lang, self.pitch[lang]
        return "en", self.pitch["en"]

    def entry(self, stats: ItemStats) -> CatalogueEntry:
        """The item as the catalogue shows it, with what came of it."""
        return CatalogueEntry(
            id=self.id, kind=self.kind, title=self.title, pitch=dict(self.pitch),
            triggers=Triggers(tuple(sorted(self.intents)), self.keywords,
                              tuple(sorted(self.languages))),
            eligibility=Eligibility(self.min_followers, self.verified,
                                    tuple(sorted(self.sentiment))),
            stats=stats,
        )  # fmt: skip


@dataclass(frozen=True)
class Match:
    item: Item
    strength: float
    why: tuple[str, ...]


@dataclass(frozen=True)
class Ranked:
    match: Match
    score: float
    stats: ItemStats


def _strings(value: Any, where: str, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{what} must be a list of non-empty strings", where)
    return [v.strip() for v in value]


def _mapping(value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError("must be a mapping", where)
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise InputError(f"unknown key(s) {unknown}; use {sorted(allowed)}", where)
    return value


def _pitch(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not isinstance(value.get("en"), str):
        raise InputError("pitch needs texts per language, at least `en`", where)
    for lang, text in value.items():
        if not isinstance(lang, str) or not _LANG.match(lang):
            raise InputError(f"pitch language {lang!r} is not a 2-letter code", where)
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"pitch {lang!r} needs some text", where)
    return {lang: text.strip() for lang, text in value.items()}


def _item(raw: Any, where: str) -> Item:
    data = _mapping(raw, where, _ITEM_KEYS)
    item_id = data.get("id")
    if not isinstance(item_id, str) or not _ID.match(item_id):
        raise InputError("id must be 1-64 characters of a-z, 0-9 and _", where)
    where = f"{where} ({item_id})"
    kind = data.get("kind", "feature")
    if kind not in KINDS:
        raise InputError(f"kind {kind!r} is not one of {list(KINDS)}", where)
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise InputError("title needs some text", where)
    triggers = _mapping(data.get("triggers"), f"{where} triggers", _TRIGGER_KEYS)
    intents = _strings(triggers.get("intents"), where, "intents")
    unknown = sorted(set(intents) - set(INTENTS))
    if unknown:
        raise InputError(f"unknown intent(s) {unknown}; see rapport.nlp.intent.INTENTS", where)
    keywords = [k.casefold() for k in _strings(triggers.get("keywords"), where, "keywords")]
    if not intents and not keywords:
        raise InputError("triggers need at least one intent or keyword", where)
    languages = _strings(triggers.get("languages"), where, "languages")
    rules = _mapping(data.get("eligibility"), f"{where} eligibility", _ELIGIBILITY_KEYS)
    followers = rules.get("min_followers", 0)
    if not isinstance(followers, int) or isinstance(followers, bool) or followers < 0:
        raise InputError("min_followers must be a whole number, 0 or more", where)
    verified = rules.get("verified")
    if verified is not None and not isinstance(verified, bool):
        raise InputError("verified must be true, false or absent", where)
    sentiment = _strings(rules.get("sentiment"), where, "sentiment")
    if set(sentiment) - set(SENTIMENTS):
        raise InputError(f"sentiment must be among {list(SENTIMENTS)}", where)
    return Item(item_id, kind, title.strip(), _pitch(data.get("pitch"), where),
                frozenset(intents), tuple(keywords), frozenset(languages), followers, verified,
                frozenset(sentiment))  # fmt: skip


def parse_catalogue(text: str, where: str = "catalogue") -> tuple[Item, ...]:
    """The items of a catalogue in YAML (`items: [...]`); InputError names what is wrong."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InputError(f"not valid YAML: {error}", where) from error
    raw = data.get("items") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not raw:
        raise InputError("needs a non-empty list under `items:`", where)
    items = tuple(_item(entry, f"{where} item {n + 1}") for n, entry in enumerate(raw))
    ids = [item.id for item in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError(f"duplicate item id(s) {duplicates}", where)
    return items


@lru_cache(maxsize=8)
def _load(path: str, _mtime_ns: int) -> tuple[Item, ...]:
    return parse_catalogue(Path(path).read_text(encoding="utf-8"), path)


def load_catalogue(path: str | Path | None = None) -> tuple[Item, ...]:
    """The catalogue at `path` (re-read when the file changes), else the built-in one."""
    chosen = Path(path) if path else BUILT_IN
    try:
        return _load(str(chosen), chosen.stat().st_mtime_ns)
    except OSError as error:
        raise InputError(f"cannot read the catalogue: {error.strerror}", str(chosen)) from error


def match(item: Item, facts: Facts) -> Match | None:
    """How `item` fits these facts, with why; None when it does not."""
    why: list[str] = []
    conditions = 0
    if item.languages:
        if facts.lang not in item.languages:
            return None
        why.append(f"language {facts.lang}")
        conditions += 1
    if item.min_followers:
        if facts.followers < item.min_followers:
            return None
        why.append(f"{facts.followers} followers (at least {item.min_followers})")
        conditions += 1
    if item.verified is not None:
        if facts.verified != item.verified:
            return None
        why.append("verified account" if item.verified else "not a verified account")
        conditions += 1
    if item.sentiment:
        if facts.sentiment not in item.sentiment:
            return None
        why.append(f"sentiment {facts.sentiment}")
        conditions += 1
    strength = 0.0
    fired: list[str] = []
    if facts.intent is not None and facts.intent in item.intents:
        fired.append(f"intent {facts.intent}")
        strength += INTENT_WEIGHT
    text = facts.text.casefold()
    words = [k for k, p in zip(item.keywords, item._patterns, strict=True) if p.search(text)]
    if words:
        fired.append("keyword " + ", ".join(repr(w) for w in words))
        strength += KEYWORD_WEIGHT * min(len(words), MAX_KEYWORDS)
    if not fired:
        return None
    return Match(item, strength + CONDITION_WEIGHT * conditions, (*fired, *why))


def fitting(catalogue: tuple[Item, ...], facts: Facts) -> list[Match]:
    """The items that fit, strongest first (then by id)."""
    found = [m for m in (match(item, facts) for item in catalogue) if m is not None]
    return sorted(found, key=lambda m: (-m.strength, m.item.id))


def rank(
    matches: list[Match],
    stats: dict[str, ItemStats],
    rng: random.Random,
    top: int = TOP,
) -> list[Ranked]:
    """The `top` matches by Thompson sample times match strength; by strength alone while
    none of them has been shown."""
    seen = {m.item.id: stats.get(m.item.id, ItemStats()) for m in matches}
    if not any(s.shown or s.taken_up for s in seen.values()):
        scored = [Ranked(m, round(m.strength, 4), seen[m.item.id]) for m in matches]
    else:
        scored = []
        for m in matches:  # in a stable order, so a seeded rng gives the same answer
            s = seen[m.item.id]
            taken = min(s.taken_up, s.shown) if s.shown else s.taken_up
            sample = rng.betavariate(1 + taken, 1 + max(s.shown - taken, 0))
            scored.append(Ranked(m, round(sample * m.strength, 4), s))
    scored.sort(key=lambda r: (-r.score, -r.match.strength, r.match.item.id))
    return scored[:top]


__all__ = ["EVENTS", "Facts", "Item", "ItemStats", "Match", "Ranked", "fitting", "rank"]
