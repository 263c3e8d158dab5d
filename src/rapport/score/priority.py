"""Priority 0-100: how soon a person should answer, as the sum of named, weighted factors.

Each factor is a value in [0, 1] times a weight; the weights add up to 100, so the score is
the sum of the contributions and every point of it has a reason. A tenant tunes the
weights (`PriorityWeights`). Domain traffic and spike membership join with the routing
issue's volume and domain tables.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from rapport.errors import ConfigError
from rapport.nlp.complaint import complaint_probability
from rapport.nlp.sentiment import negative_probability
from rapport.records import Enrichment, Factor, Post, Priority
from rapport.score.influence import influence

URGENCY_VALUE = {"critical": 1.0, "high": 0.6, "normal": 0.25, "low": 0.0}


@dataclass(frozen=True)
class PriorityWeights:
    urgency: float = 40.0
    negativity: float = 15.0
    complaint: float = 15.0
    influence: float = 20.0
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


def score_priority(
    post: Post, enrichment: Enrichment, weights: PriorityWeights | None = None
) -> Priority:
    w = weights or PriorityWeights()
    urgency = enrichment.urgency
    level = urgency.level if urgency is not None else "normal"
    negative = negative_probability(enrichment.sentiment)
    complaint = complaint_probability(enrichment.complaint)
    reach = influence(post.author, post.metrics) / 100
    alerts = enrichment.alerts
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
               reason=f"author influence {reach * 100:.0f}/100"),
        Factor(name="keywords", value=min(1.0, len(alerts) / 2), weight=w.keywords,
               reason="alert words: " + ", ".join(alerts) if alerts else "no alert words"),
    )  # fmt: skip
    score = round(min(100.0, sum(f.contribution for f in factors)), 2)
    return Priority(score=score, factors=factors)
