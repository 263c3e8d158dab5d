"""Author influence, 0-100, as the sum of named parts (an open Klout-like score).

The parts and their points (they add up to 100):

- reach, 40: followers on a log scale. The plainest signal, but followers can be bought,
  so it no longer carries most of the score on its own.
- engagement, 25: this post's interactions per follower. Unchanged: it is the one part
  that says how this particular post is doing.
- verified, 10: verification is now largely a paid subscription, so it says less about
  an account than it did.
- standing, 25: PageRank in the mention and reply graph (`score/graph.py`). Being
  addressed by many accounts that are themselves addressed by many is the hardest part
  to fake, so it takes the points reach and verification gave up.

Until the graph is wired in (or for an account it has not seen), standing is 0 with its
reason, so a score never claims standing it was not given.
"""

from __future__ import annotations

import math

from rapport.records import Author, Factor, PublicMetrics

REACH_POINTS = 40.0
ENGAGEMENT_POINTS = 25.0
VERIFIED_POINTS = 10.0
STANDING_POINTS = 25.0
# 10 million followers is full reach; an interaction for every 20 followers, full engagement.
FULL_REACH_FOLLOWERS = 10_000_000
FULL_ENGAGEMENT_RATE = 0.05
NO_STANDING_REASON = "not in the mention graph yet"


def influence_factors(
    author: Author, metrics: PublicMetrics, *, standing: tuple[float, str] | None = None
) -> tuple[Factor, ...]:
    """`standing` is (value in [0, 1], reason), as `MentionGraph.standing_and_reason` gives."""
    reach = min(1.0, math.log10(1 + author.followers) / math.log10(1 + FULL_REACH_FOLLOWERS))
    interactions = metrics.likes + metrics.reposts + metrics.replies + metrics.quotes
    rate = interactions / max(author.followers, 100)
    engagement = min(1.0, rate / FULL_ENGAGEMENT_RATE)
    graph_value, graph_reason = standing if standing is not None else (0.0, NO_STANDING_REASON)
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
        Factor(
            name="standing",
            value=round(min(1.0, max(0.0, graph_value)), 4),
            weight=STANDING_POINTS,
            reason=graph_reason,
        ),
    )


def influence(
    author: Author, metrics: PublicMetrics, *, standing: tuple[float, str] | None = None
) -> float:
    """0-100: the sum of the parts' contributions."""
    parts = influence_factors(author, metrics, standing=standing)
    return round(sum(f.contribution for f in parts), 2)
