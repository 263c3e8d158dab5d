"""Priority 0-100: how soon a person should answer, as the sum of named, weighted factors.

Each factor is a value in [0, 1] times a weight; the weights add up to 100, so the score is
the sum of the contributions and every point of it has a reason. A tenant tunes the
weights (`PriorityWeights`).

- urgency: the urgency level and its reasons (fraud, loss, outage, strong negativity ...);
- negativity and complaint: the models' probabilities;
- influence: the author's influence (reach, engagement, verified, standing in the mention
  graph), with its parts in the reason;
- domain: the traffic weight of the busiest source the post links to;
- spike: the post belongs to a volume spike (a query, hashtag, intent or URL) right now;
- keywords: alert words ("awful", "stolen", ... and the tenant's own, per language).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import msgspec

from rapport.errors import ConfigError
from rapport.nlp.complaint import complaint_probability
from rapport.nlp.sentiment import negative_probability
from rapport.records import Author, Enrichment, Factor, Post, Priority, PublicMetrics
from rapport.score.influence import (
    ENGAGEMENT_POINTS,
    FULL_ENGAGEMENT_RATE,
    FULL_REACH_FOLLOWERS,
    REACH_POINTS,
    STANDING_POINTS,
    VERIFIED_POINTS,
)

URGENCY_VALUE = {"critical": 1.0, "high": 0.6, "normal": 0.25, "low": 0.0}


@dataclass(frozen=True)
class PriorityWeights:
    urgency: float = 35.0
    negativity: float = 12.0
    complaint: float = 12.0
    influence: float = 16.0
    domain: float = 7.0
    spike: float = 8.0
    keywords: float = 10.0

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not 0 <= value <= 100:
                raise ConfigError(f"priority weight {item.name}={value!r} must be within 0..100")
        total = sum(getattr(self, item.name) for item in fields(self))
        if total > 100.0 + 1e-9:
            raise ConfigError(
                f"priority weights add up to {total:g}; keep them at or under 100 so that "
                "the score stays within 0-100"
            )

    @classmethod
    def parse(cls, text: str) -> PriorityWeights:
        """Weights from "urgency=50,spike=0,...": names not given keep their defaults."""
        known = {item.name for item in fields(cls)}
        given: dict[str, float] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, number = part.partition("=")
            name = name.strip()
            if name not in known:
                raise ConfigError(
                    f"priority weight {name!r} is unknown; use {', '.join(sorted(known))}"
                )
            try:
                given[name] = float(number)
            except ValueError:
                raise ConfigError(f"priority weight {part!r} needs a number: {name}=20") from None
        return cls(**given)


def score_priority(
    post: Post,
    enrichment: Enrichment,
    weights: PriorityWeights | None = None,
    *,
    standing: float = 0.0,
    domain: tuple[float, str] | None = None,
    spikes: tuple[str, ...] = (),
) -> Priority:
    """`standing` is the author's standing in the mention graph (0..1), `domain` the
    (weight, reason) of the post's busiest linked source, `spikes` the "kind:key" of the
    volume spikes the post belongs to."""
    w = weights or PriorityWeights()
    urgency = enrichment.urgency
    level = urgency.level if urgency is not None else "normal"
    negative = negative_probability(enrichment.sentiment)
    complaint = complaint_probability(enrichment.complaint)
    parts = influence_parts(post.author, post.metrics, standing)
    reach = sum(parts) / 100
    alerts = enrichment.alerts
    traffic, traffic_reason = domain if domain is not None else (0.0, "no linked source")
    factors = (
        Factor(
            name="urgency",
            value=URGENCY_VALUE[level],
            weight=w.urgency,
            reason=f"{level}: " + "; ".join(urgency.reasons) if urgency else "no urgency",
        ),
        Factor(name="negativity", value=round(negative, 4), weight=w.negativity,
               reason=f"negative with p={negative:.2f}"),
        Factor(name="complaint", value=round(complaint, 4), weight=w.complaint,
               reason=f"complaint with p={complaint:.2f}"),
        Factor(name="influence", value=round(reach, 4), weight=w.influence,
               reason=f"author influence {reach * 100:.0f}/100 (reach {parts[0]:.0f}, "
                      f"engagement {parts[1]:.0f}, verified {parts[2]:.0f}, "
                      f"standing {parts[3]:.0f})"),
        Factor(name="domain", value=round(traffic, 4), weight=w.domain, reason=traffic_reason),
        Factor(name="spike", value=1.0 if spikes else 0.0, weight=w.spike,
               reason="part of a spike: " + ", ".join(spikes[:3]) if spikes else "no spike"),
        Factor(name="keywords", value=min(1.0, len(alerts) / 2), weight=w.keywords,
               reason="alert words: " + ", ".join(alerts) if alerts else "no alert words"),
    )  # fmt: skip
    # The same products, added in the same order, as summing `Factor.contribution`.
    total = 0.0
    for factor in factors:
        total += factor.value * factor.weight
    return Priority(score=round(min(100.0, total), 2), factors=factors)


def reweigh(priority: Priority, weights: PriorityWeights) -> Priority:
    """The same factors under another tenant's weights: a factor's value is a fact about the
    post, its weight a tenant's judgement. Factors the weights do not name (a rule's
    adjustment) keep theirs."""
    factors = tuple(
        msgspec.structs.replace(factor, weight=getattr(weights, factor.name))
        if factor.name in _WEIGHTED
        else factor
        for factor in priority.factors
    )
    total = 0.0
    for factor in factors:
        total += factor.value * factor.weight
    return Priority(score=round(min(100.0, max(0.0, total)), 2), factors=factors)


_WEIGHTED = frozenset(item.name for item in fields(PriorityWeights))
_REACH_SCALE = math.log10(1 + FULL_REACH_FOLLOWERS)


def influence_parts(
    author: Author, metrics: PublicMetrics, standing: float = 0.0
) -> tuple[float, float, float, float]:
    """The points of `influence_factors` (reach, engagement, verified, standing), without
    building the factors and their reasons.

    Scoring needs only the numbers, and the factors' formatted reasons cost more than the
    arithmetic. The parts and their rounding are those of `influence_factors`; a test holds
    the two equal.
    """
    # Readers refuse negative counts; a record built in code may still hold one, and the
    # log of a number below 1 has no value.
    followers = max(0, author.followers)
    reach = min(1.0, math.log10(1 + followers) / _REACH_SCALE)
    interactions = max(0, metrics.likes + metrics.reposts + metrics.replies + metrics.quotes)
    engagement = min(1.0, interactions / max(followers, 100) / FULL_ENGAGEMENT_RATE)
    return (
        round(reach, 4) * REACH_POINTS,
        round(engagement, 4) * ENGAGEMENT_POINTS,
        (1.0 if author.verified else 0.0) * VERIFIED_POINTS,
        round(min(1.0, max(0.0, standing)), 4) * STANDING_POINTS,
    )


def author_influence(author: Author, metrics: PublicMetrics, standing: float = 0.0) -> float:
    """`influence(author, metrics, standing=...)`'s number."""
    reach, engagement, verified, graph = influence_parts(author, metrics, standing)
    return round(reach + engagement + verified + graph, 2)
