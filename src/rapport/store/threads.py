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
    roots = [p.conversation_id or p.source_id for p in posts]
    guessed = [i for i, p in enumerate(posts) if _root_is_guessed(p)]
    if not guessed:
        return roots
    in_batch: dict[Key, int] = {(p.network, p.source_id): i for i, p in enumerate(posts)}
    wanted: dict[str, list[str]] = {}
    for i in guessed:
        post = posts[i]
        assert post.reply_to_id is not None
        if (post.network, post.reply_to_id) not in in_batch:
            wanted.setdefault(post.network, []).append(post.reply_to_id)
    stored: dict[Key, str] = {}
    for network, ids in wanted.items():
        for source_id, root in lookup(network, ids).items():
            stored[(network, source_id)] = root

    settled = [not _root_is_guessed(p) for p in posts]

    def settle(i: int, depth: int = 0) -> str:
        if settled[i] or depth > 1000:
            return roots[i]
        post = posts[i]
        parent_key = (post.network, post.reply_to_id or "")
        parent = in_batch.get(parent_key)
        if parent is not None and parent != i:
            roots[i] = settle(parent, depth + 1)
        else:
            roots[i] = stored.get(parent_key, roots[i])
        settled[i] = True
        return roots[i]

    for i in guessed:
        settle(i)
    return roots


def _root_is_guessed(post: Post) -> bool:
    return post.reply_to_id is not None and post.conversation_id == post.reply_to_id


def adoptions(posts: Sequence[Post], roots: Sequence[str]) -> list[tuple[str, str, str]]:
    """(new root, network, old root) for each new reply: earlier posts that took it as root move."""
    return [
        (root, post.network, post.source_id)
        for post, root in zip(posts, roots, strict=True)
        if post.reply_to_id is not None and root != post.source_id
    ]
