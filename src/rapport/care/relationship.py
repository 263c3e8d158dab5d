"""How a customer's relationship with the brand is doing, and why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from rapport.records.customers import CustomerCase, Health, NpsAnswer, SentimentDay


def health(
    sentiment: Sequence[SentimentDay],
    nps: Sequence[NpsAnswer],
    cases: Sequence[CustomerCase],
    *,
    now: datetime,
) -> Health:
    """0-100 and a level (good, watch, at risk), with the reasons that moved it from 70."""
    score, reasons = 70.0, []
    recent = [d for d in sentiment if d.day >= (now - timedelta(days=30)).date().isoformat()]
    negative = sum(d.negative for d in recent)
    total = sum(d.negative + d.neutral + d.positive for d in recent)
    if total:
        share = negative / total
        score -= 30 * share
        reasons.append(f"{share:.0%} of their posts in the last 30 days were negative")
    if nps:
        last = nps[-1].score
        change = 20 if last >= 9 else (-30 if last <= 6 else 0)
        score += change
        reasons.append(f"last Net Promoter answer {last}/10")
    open_cases = [c for c in cases if c.status in ("open", "pending")]
    if open_cases:
        score -= min(15, 5 * len(open_cases))
        reasons.append(f"{len(open_cases)} open case(s)")
    score = max(0.0, min(100.0, score))
    level = "good" if score >= 65 else ("watch" if score >= 40 else "at risk")
    return Health(round(score), level, tuple(reasons))
