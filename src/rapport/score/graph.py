"""Standing in the mention and reply graph: weighted PageRank over who addresses whom.

Followers can be bought and verification can be bought; being mentioned, answered, quoted
and reposted by many accounts that are themselves addressed by many is much harder to fake.
That is what PageRank measures, so it is the fourth part of author influence.

An edge runs from a post's author to every account the post addresses: each mention, and
the author of the post it replies to, quotes or reposts when that post was seen recently
(posts carry the parent's id, not its author, so a bounded map of recent post ids to
handles resolves it; on X the replied-to handle is usually among the mentions anyway).
One post is one vote for each account it addresses, however it addresses it, and votes
accumulate as edge weights. Self-mentions are not votes.

The graph lives in one process, like the volume tracker: `add` takes posts as they pass,
and `maybe_recompute` runs PageRank when enough new edges or enough time have gone by
(a schedule, not per post: a run over 100k accounts and 1M edges takes a fraction of a
second, far too slow for every post and fast enough every few minutes). Each run starts
from the previous run's ranks while no account has been evicted since, which is what
makes it incremental: a few new edges move the ranks little, and the iteration stops
as soon as they settle.

Memory is bounded. When the accounts exceed `max_nodes`, or the distinct edges exceed
`max_edges`, the accounts seen least recently (as author or as addressee) are dropped
with their edges, a tenth at a time so that eviction is rare. The pending edges are folded
into the weighted edge list every `pending_limit` votes.

Reads never wait: a run computes into new arrays and publishes them by replacing one
reference, so `standing` and `explain` see either the old scores or the new ones, never
a mixture. Writers (`add`, the runs) take a lock; the power iteration itself runs outside
it, so posts keep flowing during a run.
"""

from __future__ import annotations

import math
import threading
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import compress
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from rapport.errors import ConfigError
from rapport.records import Post
from rapport.score.influence import NO_STANDING_REASON

DAMPING = 0.85
# Standing reaches 1 at the PageRank of the account ranked at this fraction from the top
# (one in a thousand), not at the maximum: the brand's own handle, which every complaint
# mentions, would otherwise squash everyone else towards 0.
REFERENCE_FRACTION = 0.001


@dataclass(frozen=True)
class RecomputeStats:
    """What one PageRank run did; for logs and benchmarks."""

    nodes: int
    edges: int
    iterations: int
    converged: bool
    seconds: float


@dataclass(frozen=True)
class _Scores:
    """One run's results, published whole. Nothing in it is changed after publication."""

    index: dict[str, int]
    standing: NDArray[np.float64]
    in_accounts: NDArray[np.int64]
    top_fraction: NDArray[np.float64]
    pagerank: NDArray[np.float64]
    generation: int


def _empty_scores() -> _Scores:
    return _Scores(
        index={},
        standing=np.zeros(0),
        in_accounts=np.zeros(0, dtype=np.int64),
        top_fraction=np.zeros(0),
        pagerank=np.zeros(0),
        generation=-1,
    )


def _handle(raw: str) -> str:
    return raw.strip().lstrip("@").lower()


class MentionGraph:
    """Who addresses whom, with each account's standing from the last PageRank run."""

    def __init__(
        self,
        *,
        network: str | None = None,
        max_nodes: int = 200_000,
        max_edges: int = 2_000_000,
        recent_posts: int = 200_000,
        pending_limit: int = 500_000,
        recompute_every_edges: int = 50_000,
        recompute_every_seconds: float = 600.0,
        damping: float = DAMPING,
        tolerance: float = 1e-6,
        max_iterations: int = 100,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`network`: only its posts feed the graph (None: all, sharing one handle space).

        `tolerance` is the L1 change of the whole rank vector (which sums to 1) below which
        the iteration stops. `clock` gives seconds for the time threshold; tests pass a fake.
        """
        for name, value, least in (
            ("max_nodes", max_nodes, 10),
            ("max_edges", max_edges, 10),
            ("recent_posts", recent_posts, 0),
            ("pending_limit", pending_limit, 1),
            ("recompute_every_edges", recompute_every_edges, 1),
            ("max_iterations", max_iterations, 1),
        ):
            if value < least:
                raise ConfigError(f"mention graph {name}={value!r} must be at least {least}")
        if not 0.0 < damping < 1.0:
            raise ConfigError(f"mention graph damping={damping!r} must be between 0 and 1")
        if recompute_every_seconds < 0:
            raise ConfigError(
                f"mention graph recompute_every_seconds={recompute_every_seconds!r} must be >= 0"
            )
        if tolerance <= 0:
            raise ConfigError(f"mention graph tolerance={tolerance!r} must be above 0")
        self.network = network
        self.max_nodes = max_nodes
        self.max_edges = max_edges
        self.recent_posts = recent_posts
        self.pending_limit = pending_limit
        self.recompute_every_edges = recompute_every_edges
        self.recompute_every_seconds = recompute_every_seconds
        self.damping = damping
        self.tolerance = tolerance
        self.max_iterations = max_iterations
        self._clock = clock

        self._lock = threading.Lock()  # guards everything below except _scores
        self._run_lock = threading.Lock()  # one PageRank run at a time
        self._index: dict[str, int] = {}
        self._handles: list[str] = []
        self._seen: list[int] = []  # per node: the post counter when last seen
        self._tick = 0
        self._pending_src = array("i")
        self._pending_dst = array("i")
        self._src: NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._dst: NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._weight: NDArray[np.float64] = np.zeros(0)
        self._generation = 0  # bumped whenever node numbers change (eviction)
        self._new_edges = 0
        self._last_run = clock()
        self._recent: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._scores = _empty_scores()
        self.last_stats: RecomputeStats | None = None

    def __getstate__(self) -> dict[str, Any]:
        # A copy for another process (file ingest's helper) takes the graph, not the locks.
        state = self.__dict__.copy()
        del state["_lock"], state["_run_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._run_lock = threading.Lock()

    # -- feeding -----------------------------------------------------------------------

    def add(self, posts: Iterable[Post]) -> int:
        """Record the votes in `posts`; returns how many (author, addressee) votes were added."""
        added = 0
        with self._lock:
            for post in posts:
                if self.network is not None and post.network != self.network:
                    continue
                author = _handle(post.author.handle)
                if not author:
                    continue
                self._tick += 1
                targets: dict[str, None] = {}
                for mention in post.mentions:
                    target = _handle(mention)
                    if target and target != author:
                        targets[target] = None
                for parent_id in (post.reply_to_id, post.quote_of_id, post.repost_of_id):
                    if parent_id:
                        parent = self._recent.get((post.network, parent_id))
                        if parent is not None and parent != author:
                            targets[parent] = None
                self._remember(post.network, post.source_id, author)
                if not targets:
                    continue
                source = self._node(author)
                for target in targets:
                    self._pending_src.append(source)
                    self._pending_dst.append(self._node(target))
                added += len(targets)
                self._new_edges += len(targets)
                self._keep_bounds()
        return added

    def _remember(self, network: str, source_id: str, author: str) -> None:
        if self.recent_posts == 0:
            return
        self._recent[(network, source_id)] = author
        if len(self._recent) > self.recent_posts:
            self._recent.popitem(last=False)

    def _node(self, handle: str) -> int:
        index = self._index.get(handle)
        if index is None:
            index = len(self._handles)
            self._index[handle] = index
            self._handles.append(handle)
            self._seen.append(self._tick)
        else:
            self._seen[index] = self._tick
        return index

    def _keep_bounds(self) -> None:
        if len(self._handles) > self.max_nodes:
            self._evict(self.max_nodes - self.max_nodes // 10)
        elif len(self._pending_src) >= self.pending_limit:
            self._fold_pending()
        while len(self._src) > self.max_edges:
            self._evict(len(self._handles) - max(1, len(self._handles) // 10))

    def _fold_pending(self) -> None:
        """Fold the pending votes into the weighted edge list; new arrays, never in place."""
        if not self._pending_src:
            return
        n = len(self._handles)
        count = len(self._pending_src)
        src = np.concatenate([self._src, np.array(self._pending_src, dtype=np.int32)])
        dst = np.concatenate([self._dst, np.array(self._pending_dst, dtype=np.int32)])
        weight = np.concatenate([self._weight, np.ones(count)])
        # COO to CSR sums duplicate (src, dst) pairs in C.
        merged = sp.coo_matrix((weight, (src, dst)), shape=(n, n)).tocsr().tocoo()
        self._src = merged.row.astype(np.int32)
        self._dst = merged.col.astype(np.int32)
        self._weight = merged.data.astype(np.float64)
        self._pending_src = array("i")
        self._pending_dst = array("i")

    def _evict(self, keep: int) -> None:
        """Keep the `keep` accounts seen most recently, renumbered, with their edges."""
        self._fold_pending()
        n = len(self._handles)
        if keep >= n:
            return
        seen = np.asarray(self._seen, dtype=np.int64)
        oldest_first = np.argsort(seen, kind="stable")
        alive = np.ones(n, dtype=bool)
        alive[oldest_first[: n - keep]] = False
        renumber = np.cumsum(alive, dtype=np.int64) - 1
        both = alive[self._src] & alive[self._dst]
        self._src = renumber[self._src[both]].astype(np.int32)
        self._dst = renumber[self._dst[both]].astype(np.int32)
        self._weight = self._weight[both]
        self._handles = list(compress(self._handles, alive.tolist()))
        self._index = dict(zip(self._handles, range(len(self._handles)), strict=True))
        self._seen = seen[alive].tolist()
        self._generation += 1

    # -- runs --------------------------------------------------------------------------

    def maybe_recompute(self, now: float | None = None) -> RecomputeStats | None:
        """Run PageRank if `recompute_every_edges` votes or `recompute_every_seconds` have
        passed since the last run (time only counts once there is a new vote); else None.

        Also None while another run is in progress: the caller's next tick will see the
        votes that run missed.
        """
        now = self._clock() if now is None else now
        if not self._run_lock.acquire(blocking=False):
            return None
        try:
            with self._lock:
                due = self._new_edges >= self.recompute_every_edges or (
                    self._new_edges > 0 and now - self._last_run >= self.recompute_every_seconds
                )
            return self._run(now) if due else None
        finally:
            self._run_lock.release()

    def recompute(self, now: float | None = None) -> RecomputeStats:
        """Run PageRank now and publish the new standings."""
        now = self._clock() if now is None else now
        with self._run_lock:
            return self._run(now)

    def _run(self, now: float) -> RecomputeStats:
        started = time.perf_counter()
        with self._lock:
            self._fold_pending()
            # The arrays are replaced, never written in place, so they can be read unlocked.
            src, dst, weight = self._src, self._dst, self._weight
            index = dict(self._index)
            generation = self._generation
            self._new_edges = 0
            self._last_run = now
        previous = self._scores
        start = None
        if previous.generation == generation and 0 < len(previous.pagerank) <= len(index):
            start = previous.pagerank
        scores, iterations, converged = _pagerank(
            index, src, dst, weight, generation, self.damping, self.tolerance,
            self.max_iterations, start,
        )  # fmt: skip
        self._scores = scores
        stats = RecomputeStats(
            nodes=len(index),
            edges=len(src),
            iterations=iterations,
            converged=converged,
            seconds=time.perf_counter() - started,
        )
        self.last_stats = stats
        return stats

    # -- reads -------------------------------------------------------------------------

    def standing(self, handle: str) -> float:
        """0 for an account the last run did not know; near 1 for the most addressed."""
        return self.standing_and_reason(handle)[0]

    def explain(self, handle: str) -> str:
        return self.standing_and_reason(handle)[1]

    def standing_and_reason(self, handle: str) -> tuple[float, str]:
        """Both from the same run, which two separate calls cannot promise."""
        scores = self._scores
        i = scores.index.get(_handle(handle))
        if i is None:
            return 0.0, NO_STANDING_REASON
        accounts = int(scores.in_accounts[i])
        if accounts == 0:
            return 0.0, "in the mention graph, but not yet mentioned or replied to by anyone"
        noun = "account" if accounts == 1 else "accounts"
        top = _top_percent(float(scores.top_fraction[i]))
        reason = f"mentioned or replied to by {accounts:,} {noun}; PageRank in the top {top}"
        return float(scores.standing[i]), reason

    def __len__(self) -> int:
        """Accounts in the graph now (including those the last run has not seen yet)."""
        return len(self._handles)

    @property
    def edge_count(self) -> int:
        """Distinct (author, addressee) pairs, counting pending votes as distinct."""
        return len(self._src) + len(self._pending_src)


def _top_percent(fraction: float) -> str:
    percent = fraction * 100
    if percent <= 0.1:
        return "0.1%"
    if percent <= 1:
        return "1%"
    return f"{math.ceil(percent - 1e-9)}%"


def _pagerank(
    index: dict[str, int],
    src: NDArray[np.int32],
    dst: NDArray[np.int32],
    weight: NDArray[np.float64],
    generation: int,
    damping: float,
    tolerance: float,
    max_iterations: int,
    start: NDArray[np.float64] | None,
) -> tuple[_Scores, int, bool]:
    """Weighted PageRank by power iteration; an account with no votes out (dangling)
    spreads its rank evenly, as it would by teleporting."""
    n = len(index)
    if n == 0:
        return _empty_scores(), 0, True
    out = np.bincount(src, weights=weight, minlength=n)
    # Column-stochastic transition matrix, stored by row of the destination so that one
    # step is one sparse matrix-vector product.
    transition = sp.csr_matrix((weight / out[src], (dst, src)), shape=(n, n))
    dangling = np.flatnonzero(out == 0)
    if start is None:
        rank = np.full(n, 1.0 / n)
    else:
        rank = np.concatenate([start, np.full(n - len(start), 1.0 / n)])
        rank /= rank.sum()
    teleport = (1.0 - damping) / n
    iterations, converged = 0, False
    while iterations < max_iterations:
        iterations += 1
        spread = teleport + damping * float(rank[dangling].sum()) / n
        following = transition @ rank
        following *= damping
        following += spread
        change = float(np.abs(following - rank).sum())
        rank = following
        if change < tolerance:
            converged = True
            break
    # An account nobody votes for gets exactly the teleport and dangling share: the floor.
    floor = teleport + damping * float(rank[dangling].sum()) / n
    in_accounts = np.bincount(dst, minlength=n).astype(np.int64)
    voted = in_accounts > 0
    k = max(1, math.ceil(n * REFERENCE_FRACTION))
    reference = float(np.partition(rank, n - k)[n - k])
    if reference > floor * (1 + 1e-9):
        ratio = np.maximum(rank / floor, 1.0)
        standing = np.clip(np.log(ratio) / math.log(reference / floor), 0.0, 1.0)
    else:  # everyone is equal (a cycle, say): being voted for at all is the top
        standing = voted.astype(np.float64)
    standing[~voted] = 0.0
    ordered = np.sort(rank)
    above = n - np.searchsorted(ordered, rank, side="right")
    top_fraction = (above + 1) / n
    scores = _Scores(
        index=index,
        standing=standing,
        in_accounts=in_accounts,
        top_fraction=top_fraction.astype(np.float64),
        pagerank=rank,
        generation=generation,
    )
    return scores, iterations, converged
