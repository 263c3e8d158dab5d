"""Conversation roots: every stored post carries the id of the first post of its thread.

Networks such as X say the root outright (`conversation_id`); others (the Customer Support
on Twitter CSV, many connectors) only say which post a reply answers, and replies may
arrive before their parents. Normalisation guesses the root as the parent's id; here,
at write time, the guess is replaced by the parent's own root when the parent is known,
and posts that guessed a newly arrived post as their root are moved to its root.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from rapport.records import Post

Key = tuple[str, str]
ParentLookup = Callable[[str, list[str]], Mapping[str, str]]


def resolve_roots(posts: Sequence[Post], lookup: ParentLookup) -> list[str]:
    """Each post's conversation root, in order, following parents in the batch and the store."""
    in_batch: dict[Key, Post] = {p.key: p for p in posts}
    guessed = [p for p in posts if _root_is_guessed(p)]
    wanted: dict[str, list[str]] = {}
    for post in guessed:
        assert post.reply_to_id is not None
        if (post.network, post.reply_to_id) not in in_batch:
            wanted.setdefault(post.network, []).append(post.reply_to_id)
    stored: dict[Key, str] = {}
    for network, ids in wanted.items():
        for source_id, root in lookup(network, ids).items():
            stored[(network, source_id)] = root

    resolved: dict[Key, str] = {}

    def root_of(post: Post, depth: int = 0) -> str:
        known = resolved.get(post.key)
        if known is not None:
            return known
        root = post.conversation_id or post.source_id
        if _root_is_guessed(post) and depth < 1000:
            assert post.reply_to_id is not None
            parent_key = (post.network, post.reply_to_id)
            parent = in_batch.get(parent_key)
            if parent is not None and parent.key != post.key:
                root = root_of(parent, depth + 1)
            else:
                root = stored.get(parent_key, root)
        resolved[post.key] = root
        return root

    return [root_of(p) for p in posts]


def _root_is_guessed(post: Post) -> bool:
    return post.reply_to_id is not None and post.conversation_id == post.reply_to_id


def adoptions(posts: Sequence[Post], roots: Sequence[str]) -> list[tuple[str, str, str]]:
    """(new root, network, old root) for each new reply: earlier posts that took it as root move."""
    return [
        (root, post.network, post.source_id)
        for post, root in zip(posts, roots, strict=True)
        if post.reply_to_id is not None and root != post.source_id
    ]
