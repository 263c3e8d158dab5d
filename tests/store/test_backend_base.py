"""The sequence of a batch insert lives once, in `Backend.insert_batch`; a backend supplies
only the statements. Here a backend that keeps its posts in a dict shows the sequence."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, cast

from rapport.records import Author, Enrichment, Envelope, Label, Post, Rejected
from rapport.store.backends.base import Backend, BatchStatements, NewPosts
from tests.conftest import make_post

Key = tuple[str, str]


class _InMemory(BatchStatements):
    def __init__(self, roots: dict[Key, str], ids: dict[Key, int], steps: list[str]) -> None:
        self.roots, self.ids, self.steps = roots, ids, steps

    def stored_roots(self, network: str, source_ids: list[str]) -> Mapping[str, str]:
        self.steps.append(f"stored_roots {network} {sorted(source_ids)}")
        return {s: self.roots[(network, s)] for s in source_ids if (network, s) in self.roots}

    def write_posts(self, posts: Sequence[Post], roots: Sequence[str]) -> NewPosts:
        self.steps.append(f"write_posts {len(posts)}")
        new = {}
        for post, root in zip(posts, roots, strict=True):
            key = (post.network, post.source_id)
            if key not in self.roots:
                self.roots[key] = root
                new[key] = self.ids[key] = len(self.ids) + 1
        return NewPosts(new)

    def adopt(self, moves: list[tuple[str, str, str]]) -> None:
        self.steps.append(f"adopt {moves}")
        for root, network, old in moves:
            for key, stored in self.roots.items():
                if key[0] == network and stored == old:
                    self.roots[key] = root

    def upsert_authors(self, authors: list[tuple[str, Author, datetime]]) -> None:
        self.steps.append(f"upsert_authors {[author.source_id for _, author, _ in authors]}")

    def write_analyses(self, analyses: list[tuple[Any, ...]]) -> None:
        self.steps.append(f"write_analyses {[row[:2] for row in analyses]}")

    def write_rejects(self, rejects: Sequence[Rejected]) -> None:
        self.steps.append(f"write_rejects {len(rejects)}")

    def stored_posts(self, count: int) -> None:
        self.steps.append(f"stored_posts {count}")


class _InMemoryBackend(Backend):
    dialect = "memory"

    def __init__(self) -> None:
        super().__init__()
        self.roots: dict[Key, str] = {}
        self.ids: dict[Key, int] = {}
        self.steps: list[str] = []

    @contextmanager
    def open_batch(self, connection: Any) -> Iterator[BatchStatements]:
        self.steps.append("open")
        yield _InMemory(self.roots, self.ids, self.steps)
        self.steps.append("close")

    def search_clause(self, query: str) -> Any:
        raise NotImplementedError


_NO_CONNECTION = cast(Any, None)
_REJECT = Rejected(source="f.jsonl", location="line 3", format="rapport", reason="bad", raw=b"{")


def test_a_batch_runs_the_shared_steps_in_order_through_the_backends_statements() -> None:
    backend = _InMemoryBackend()
    # 3 answered 2 before 2 arrived, and took 2 as its root.
    backend.insert_batch(
        _NO_CONNECTION,
        [make_post("1"), make_post("3", reply_to_id="2", conversation_id="2")],
        [],
        {},
    )
    backend.steps.clear()

    bob = Author(source_id="a2", handle="bob")
    reply = make_post("2", reply_to_id="1", conversation_id="1", author=bob)
    said = Enrichment(sentiment=Label(label="negative", score=0.9))
    analyses = {("x", "2"): Envelope(post=reply, enrichment=said)}
    inserted = backend.insert_batch(_NO_CONNECTION, [reply], [_REJECT], analyses)

    assert backend.steps == [
        "open",
        "stored_roots x ['1']",
        "write_posts 1",
        "adopt [('1', 'x', '2')]",
        "upsert_authors ['a2']",
        "stored_posts 1",
        "write_analyses [(3, 'negative')]",
        "write_rejects 1",
        "close",
    ]
    assert inserted.ids == {("x", "2"): 3}
    assert inserted.quarantined == 1
    assert backend.roots == {("x", "1"): "1", ("x", "2"): "1", ("x", "3"): "1"}


def test_a_replayed_batch_asks_the_backend_only_to_try_its_posts() -> None:
    backend = _InMemoryBackend()
    posts = [make_post("1"), make_post("2", reply_to_id="1", conversation_id="1")]
    analyses = {("x", "1"): Envelope(post=posts[0], enrichment=Enrichment())}
    backend.insert_batch(_NO_CONNECTION, posts, [], analyses)
    backend.steps.clear()

    inserted = backend.insert_batch(_NO_CONNECTION, posts, [], analyses)

    # Nothing new: no adoptions, no author is news, no analysis to keep.
    assert backend.steps == ["open", "write_posts 2", "stored_posts 0", "close"]
    assert inserted.ids == {}
    assert inserted.quarantined == 0


def test_a_batch_of_rejects_alone_writes_only_them() -> None:
    backend = _InMemoryBackend()

    inserted = backend.insert_batch(_NO_CONNECTION, [], [_REJECT, _REJECT], {})

    assert backend.steps == ["open", "write_rejects 2", "close"]
    assert inserted.quarantined == 2
