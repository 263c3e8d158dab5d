"""Author influence, 0-100, as the sum of named parts (an open Klout-like score).

Parts today: reach (followers on a log scale), engagement (the post's interactions per
follower) and verification. Standing in the mention and reply graph (PageRank) joins
them with the routing issue's graph job; its part is absent until then.
"""

from __future__ import annotations

import math

from rapport.records import Author, Factor, PublicMetrics

REACH_POINTS = 60.0
ENGAGEMENT_POINTS = 25.0
VERIFIED_POINTS = 15.0
# 10 million followers is full reach; an interaction for every 20 followers, full engagement.
FULL_REACH_FOLLOWERS = 10_000_000
FULL_ENGAGEMENT_RATE = 0.05


def influence_factors(author: Author, metrics: PublicMetrics) -> tuple[Factor, ...]:
    reach = min(1.0, math.log10(1 + author.followers) / math.log10(1 + FULL_REACH_FOLLOWERS))
    interactions = metrics.likes + metrics.reposts + metrics.replies + metrics.quotes
    rate = interactions / max(author.followers, 100)
    engagement = min(1.0, rate / FULL_ENGAGEMENT_RATE)
    return (
        Factor(
            name="reach",
            value=round(reach, 4),
            weight=REACH_POINTS,
            reason=f"{author.followers:,} followers",
        ),
        Factor(
            name="engagement",
            value=round(engagement, 4),
            weight=ENGAGEMENT_POINTS,
            reason=f"{interactions:,} interactions on this post",
        ),
        Factor(
            name="verified",
            value=1.0 if author.verified else 0.0,
            weight=VERIFIED_POINTS,
            reason="verified account" if author.verified else "not verified",
        ),
    )


def influence(author: Author, metrics: PublicMetrics) -> float:
    """0-100: the sum of the parts' contributions."""
    return round(sum(f.contribution for f in influence_factors(author, metrics)), 2)
