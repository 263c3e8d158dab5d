"""The mention graph: hubs outrank leaves, runs follow the schedule, memory stays bounded."""

from __future__ import annotations

import threading
from collections.abc import Iterable

import numpy as np
import pytest

from rapport.errors import ConfigError
from rapport.records import Author, Post, PublicMetrics
from rapport.score.graph import MentionGraph
from rapport.score.influence import NO_STANDING_REASON, influence, influence_factors
from tests.conftest import make_post


def post(
    source_id: str, author: str, mentions: Iterable[str] = (), network: str = "x", **fields: str
) -> Post:
    return make_post(
        source_id,
        author=Author(source_id="id-" + author, handle=author),
        mentions=tuple(mentions),
        network=network,
        **fields,
    )


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def star(hub: str = "bankcare", leaves: int = 30) -> list[Post]:
    """Many accounts address the hub; one of them is also addressed once, by another."""
    posts = [post(f"p{i}", f"user{i}", [hub]) for i in range(leaves)]
    posts.append(post("extra", "user1", ["user2"]))
    return posts


def test_a_hub_that_many_mention_outranks_a_leaf_and_strangers_have_no_standing() -> None:
    graph = MentionGraph()
    assert graph.add(star(hub="BankCare", leaves=150)) == 151
    graph.recompute()

    hub, reason = graph.standing_and_reason("@bankcare")
    assert hub == pytest.approx(1.0)
    assert reason == "mentioned or replied to by 150 accounts; PageRank in the top 1%"
    assert 0.0 < graph.standing("user2") < hub
    # Addressed by nobody: in the graph, but no standing; never seen: not in the graph.
    assert graph.standing("user3") == 0.0
    assert "not yet mentioned" in graph.explain("user3")
    assert graph.standing("stranger") == 0.0
    assert graph.explain("stranger") == NO_STANDING_REASON
    assert "by 1 account;" in graph.explain("user2")


def test_pagerank_matches_a_dense_solution() -> None:
    graph = MentionGraph(tolerance=1e-12, max_iterations=1000)
    edges = [("a", "b"), ("a", "c"), ("b", "c"), ("c", "a"), ("d", "c"), ("d", "c"), ("e", "d")]
    graph.add(post(str(i), s, [t]) for i, (s, t) in enumerate(edges))
    graph.recompute()
    names = ["a", "b", "c", "d", "e"]
    n, d = len(names), 0.85
    weights = np.zeros((n, n))
    for s, t in edges:
        weights[names.index(t), names.index(s)] += 1
    out = weights.sum(axis=0)
    # Dangling columns (accounts that address nobody) teleport uniformly.
    transition = np.where(out > 0, weights / np.where(out > 0, out, 1), 1.0 / n)
    google = d * transition + (1 - d) / n
    values, vectors = np.linalg.eig(google)
    expected = np.abs(np.real(vectors[:, np.argmax(np.real(values))]))
    expected /= expected.sum()
    scores = graph._scores
    got = np.array([scores.pagerank[scores.index[h]] for h in names])
    assert got == pytest.approx(expected, abs=1e-9)
    # c is addressed by three accounts, one of them twice: the top.
    assert max(names, key=graph.standing) == "c"


def test_a_reply_resolves_to_the_parents_author_through_recent_posts() -> None:
    graph = MentionGraph()
    graph.add([post("1", "journalist")])
    # The reply does not mention the parent's author; its reply_to_id finds them.
    replies = [post(f"r{i}", f"fan{i}", reply_to_id="1") for i in range(5)]
    replies.append(post("q", "fan9", quote_of_id="1"))
    replies.append(post("rt", "fan10", repost_of_id="1"))
    replies.append(post("elsewhere", "fan11", network="instagram", reply_to_id="1"))
    replies.append(post("self", "journalist", reply_to_id="1"))
    assert graph.add(replies) == 7
    graph.recompute()
    assert "by 7 accounts" in graph.explain("journalist")
    assert graph.standing("journalist") > 0.5


def test_the_recent_post_map_is_bounded() -> None:
    graph = MentionGraph(recent_posts=3)
    graph.add(post(str(i), f"author{i}") for i in range(5))
    # Posts 0 and 1 have been forgotten, so replies to them add nothing.
    assert graph.add([post("a", "x", reply_to_id="0"), post("b", "y", reply_to_id="1")]) == 0
    assert graph.add([post("c", "z", reply_to_id="4")]) == 1


def test_scheduled_runs_wait_for_enough_votes_or_enough_time() -> None:
    clock = FakeClock()
    graph = MentionGraph(recompute_every_edges=10, recompute_every_seconds=60, clock=clock)
    graph.add(post(str(i), f"u{i}", ["hub"]) for i in range(9))
    assert graph.maybe_recompute() is None
    assert graph.standing("hub") == 0.0  # not published before a run
    graph.add([post("9", "u9", ["hub"])])
    stats = graph.maybe_recompute()
    assert stats is not None
    assert (stats.nodes, stats.edges, stats.converged) == (11, 10, True)
    assert graph.standing("hub") == pytest.approx(1.0)

    # A new vote waits for the time threshold, counted from the last run (at 0) ...
    graph.add([post("10", "u10", ["other"])])
    assert graph.maybe_recompute(now=59.0) is None
    assert graph.standing("other") == 0.0
    assert graph.maybe_recompute(now=61.0) is not None
    assert graph.standing("other") > 0.0
    # ... and time alone triggers nothing without a new vote.
    clock.now = 1000.0
    assert graph.maybe_recompute() is None


def test_the_node_cap_evicts_the_accounts_seen_least_recently() -> None:
    graph = MentionGraph(max_nodes=50)
    graph.add(post(f"old{i}", f"old{i}", ["oldhub"]) for i in range(20))
    for i in range(200):
        graph.add([post(f"new{i}", f"new{i}", ["newhub"])])
        assert len(graph) <= 50
    graph.recompute()
    assert graph.standing("oldhub") == 0.0
    assert graph.explain("old3") == NO_STANDING_REASON
    assert graph.standing("newhub") == pytest.approx(1.0)
    # Only edges between surviving accounts remain, renumbered consistently.
    assert graph.edge_count == len(graph) - 1
    assert f"by {len(graph) - 1} accounts" in graph.explain("newhub")


def test_the_edge_cap_holds_too() -> None:
    graph = MentionGraph(max_nodes=1000, max_edges=40, pending_limit=5)
    graph.add(post(str(i), f"u{i}", [f"t{i % 7}", f"s{i % 3}"]) for i in range(100))
    assert graph.edge_count <= 40 + 5
    graph.recompute()
    assert graph.standing("t0") >= 0.0


def test_votes_accumulate_as_weights() -> None:
    graph = MentionGraph()
    graph.add(post(str(i), "fan", ["favourite"]) for i in range(5))
    graph.add([post("x", "fan", ["other"])])
    graph.recompute()
    assert graph.edge_count == 2
    assert graph.standing("favourite") > graph.standing("other") > 0.0


def test_reads_during_runs_see_whole_results() -> None:
    graph = MentionGraph()
    graph.add(star())
    graph.recompute()
    errors: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            value, reason = graph.standing_and_reason("bankcare")
            if not (value == pytest.approx(1.0) and "accounts" in reason):
                errors.append(reason)

    reader = threading.Thread(target=read)
    reader.start()
    for i in range(30):
        graph.add([post(f"more{i}", f"more{i}", ["bankcare", f"side{i}"])])
        graph.recompute()
    stop.set()
    reader.join()
    assert errors == []


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ConfigError, match="max_nodes"):
        MentionGraph(max_nodes=0)
    with pytest.raises(ConfigError, match="damping"):
        MentionGraph(damping=1.0)


def test_influence_parts_add_up_with_and_without_standing() -> None:
    author = Author(source_id="1", handle="reporter", followers=40_000, verified=True)
    metrics = PublicMetrics(likes=12, replies=3)
    graph = MentionGraph()
    graph.add(star(hub="reporter"))
    graph.recompute()
    standing = graph.standing_and_reason(author.handle)

    without = influence_factors(author, metrics)
    with_graph = influence_factors(author, metrics, standing=standing)
    assert sum(f.weight for f in with_graph) == 100.0
    for parts, kwargs in ((without, {}), (with_graph, {"standing": standing})):
        assert influence(author, metrics, **kwargs) == pytest.approx(
            sum(p.contribution for p in parts), abs=0.01
        )
    by_name = {f.name: f for f in with_graph}
    assert by_name["standing"].value == pytest.approx(1.0)
    assert by_name["standing"].reason.startswith("mentioned or replied to by 30 accounts")
    assert {f.name: f for f in without}["standing"].reason == NO_STANDING_REASON
    assert influence(author, metrics, standing=standing) == pytest.approx(
        influence(author, metrics) + 25.0, abs=0.01
    )
