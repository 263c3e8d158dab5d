"""The whole analysis pipeline, as file ingest ships it to its helper process: every stage
pickles, and the copies decide what the originals decide."""

from __future__ import annotations

import pickle
from pathlib import Path

import msgspec

from rapport.demo.stream import generate_posts
from rapport.pipeline.build import analysis_stages
from rapport.records import Batch, Envelope, Post

DEMO = Path(__file__).resolve().parents[2] / "src" / "rapport" / "demo"


def run(stages: list[object], batch: Batch) -> Batch:
    for stage in stages:
        batch = stage.process(batch)  # type: ignore[attr-defined]
    return batch


def test_every_stage_pickles_and_its_copy_decides_the_same() -> None:
    def build() -> list[object]:
        return list(
            analysis_stages(enrich=True, rules=DEMO / "rules.yaml", queries=DEMO / "queries.yaml")
        )

    posts = [msgspec.convert(p, Post, strict=False) for p in generate_posts(300, seed=5)]
    batch = Batch(source="t", items=tuple(Envelope(post=p) for p in posts))
    copies = pickle.loads(pickle.dumps(build()))
    original, copied = run(build(), batch), run(copies, batch)
    assert [(e.matches, e.priority, e.routes) for e in copied.items] == [
        (e.matches, e.priority, e.routes) for e in original.items
    ]
    assert any(e.matches for e in original.items)
    assert any(r.decision.rule_id for e in original.items for r in e.routes)
