"""Score: give every enriched post its explainable priority (`score/priority.py`).

The stage also keeps the mention graph: each batch's posts add their mentions and replies,
and PageRank is recomputed on the graph's schedule, so an author's standing follows the
conversation. Like the volume stage, it keeps that state from batch to batch.
"""

from __future__ import annotations

import msgspec

from rapport.pipeline.stage import Stage
from rapport.records import Batch
from rapport.score.domain_traffic import DomainWeights
from rapport.score.graph import MentionGraph
from rapport.score.priority import PriorityWeights, score_priority

# A link to the network the post is on (a quoted post, a profile) says nothing about the
# traffic of an outside source, so it does not count as one.
NETWORK_DOMAINS: dict[str, frozenset[str]] = {
    "x": frozenset({"x.com", "twitter.com"}),
    "facebook": frozenset({"facebook.com", "fb.com", "fb.me"}),
    "instagram": frozenset({"instagram.com"}),
    "reddit": frozenset({"reddit.com", "redd.it"}),
    "youtube": frozenset({"youtube.com", "youtu.be"}),
    "tiktok": frozenset({"tiktok.com"}),
    "linkedin": frozenset({"linkedin.com", "lnkd.in"}),
    "bluesky": frozenset({"bsky.app"}),
    "threads": frozenset({"threads.net"}),
    "weibo": frozenset({"weibo.com", "weibo.cn"}),
}


def outside_domains(network: str, domains: tuple[str, ...]) -> tuple[str, ...]:
    own = NETWORK_DOMAINS.get(network)
    return tuple(d for d in domains if d not in own) if own else domains


class ScoreStage(Stage):
    name = "score"

    def __init__(
        self,
        weights: PriorityWeights | None = None,
        *,
        graph: MentionGraph | None = None,
        domains: DomainWeights | None = None,
    ) -> None:
        self.weights = weights or PriorityWeights()
        self.graph = graph if graph is not None else MentionGraph()
        self.domains = domains if domains is not None else DomainWeights.default()

    def process(self, batch: Batch) -> Batch:
        graph = self.graph
        graph.add(e.post for e in batch.items)
        graph.maybe_recompute()
        standing_of = graph.standing
        traffic = self.domains.for_post
        items = []
        for envelope in batch.items:
            if envelope.enrichment is None:
                items.append(envelope)
                continue
            post = envelope.post
            linked = outside_domains(post.network, post.domains) if post.domains else ()
            priority = score_priority(
                post,
                envelope.enrichment,
                self.weights,
                standing=standing_of(post.author.handle),
                domain=traffic(linked) if linked else None,
                spikes=envelope.spikes,
            )
            items.append(msgspec.structs.replace(envelope, priority=priority))
        return msgspec.structs.replace(batch, items=tuple(items))
