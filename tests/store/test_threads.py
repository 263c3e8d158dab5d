"""Thread roots resolved in memory leave nothing for the garbage collector: a batch's key
index is freed as soon as the batch is done, not when a collection comes by."""

from __future__ import annotations

import gc

from rapport.store.threads import resolve_roots
from tests.conftest import make_post


def test_resolving_roots_leaves_no_reference_cycles() -> None:
    # 3 answers 2, which answers 1 (stored earlier); each took its parent's id as root.
    posts = [
        make_post("2", reply_to_id="1", conversation_id="1"),
        make_post("3", reply_to_id="2", conversation_id="2"),
    ]
    enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        roots = resolve_roots(posts, lambda network, ids: {"1": "0"})
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
    assert roots == ["0", "0"]
