"""Recommendations: the facts a case's items are matched on, what came of each item, and
the views the API returns."""

from __future__ import annotations

from dataclasses import dataclass

EVENTS: tuple[str, ...] = ("shown", "used", "taken_up")


@dataclass(frozen=True, slots=True)
class Facts:
    """What is known of the case and its customer now."""

    intent: str | None = None
    text: str = ""
    lang: str | None = None
    followers: int = 0
    verified: bool = False
    sentiment: str | None = None


@dataclass(frozen=True, slots=True)
class ItemStats:
    """On how many of a tenant's cases an item was shown, used, taken up."""

    shown: int = 0
    used: int = 0
    taken_up: int = 0


@dataclass(frozen=True, slots=True)
class Recommended:
    """An item that fits a case now: its pitch in the case's language (else English), why
    it fits, how strongly, its ranking score, and what came of it on this case."""

    id: str
    kind: str
    title: str
    lang: str
    pitch: str
    why: tuple[str, ...]
    strength: float
    score: float
    stats: ItemStats
    used: bool
    taken_up: bool


@dataclass(frozen=True, slots=True)
class CaseRecommendations:
    """`ranking`: "thompson" once the tenant has shown any of them, else "match"."""

    case_id: int
    ranking: str
    items: tuple[Recommended, ...]


@dataclass(frozen=True, slots=True)
class Marked:
    """An event recorded on a case's item; `recorded` is False when it was there already."""

    case_id: int
    item_id: str
    event: str
    recorded: bool


@dataclass(frozen=True, slots=True)
class Triggers:
    intents: tuple[str, ...]
    keywords: tuple[str, ...]
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Eligibility:
    min_followers: int
    verified: bool | None
    sentiment: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    id: str
    kind: str
    title: str
    pitch: dict[str, str]
    triggers: Triggers
    eligibility: Eligibility
    stats: ItemStats


@dataclass(frozen=True, slots=True)
class Catalogue:
    """`source`: "custom" when the `catalogue` setting names a file, else "built_in"."""

    source: str
    items: tuple[CatalogueEntry, ...]
