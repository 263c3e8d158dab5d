"""An author as the API shows them: as last seen, with their influence and why."""

from __future__ import annotations

from dataclasses import dataclass

from rapport.records.posts import StoredAuthor


@dataclass(frozen=True, slots=True)
class InfluencePart:
    """One part of an influence score: its points out of `of`, and the reason."""

    name: str
    points: float
    of: float
    reason: str


@dataclass(frozen=True, slots=True)
class Influence:
    """Influence from 0 to 100; the parts' points add up to the score."""

    score: float
    parts: list[InfluencePart]


@dataclass(frozen=True, slots=True)
class AuthorProfile(StoredAuthor):
    influence: Influence
