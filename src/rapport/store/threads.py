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
    # A reply whose root is its parent's id took normalisation's guess.
    guessed = [
        i
        for i, p in enumerate(posts)
        if p.reply_to_id is not None and p.conversation_id == p.reply_to_id
    ]
    if not guessed:
        return roots
    # Only the posts that guessed replies answer can be followed; keying just those skips
    # a tuple per post for the rest of the batch.
    parents = {posts[i].reply_to_id for i in guessed}
    in_batch: dict[Key, int] = {
        (p.network, p.source_id): i for i, p in enumerate(posts) if p.source_id in parents
    }
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

    settled = [True] * len(posts)
    for i in guessed:
        settled[i] = False

    # A loop rather than a recursive closure: such a closure is a reference cycle, which
    # kept each batch's key index alive until the garbage collector came by for it.
    for start in guessed:
        chain: list[int] = []
        i = start
        while True:
            if settled[i] or len(chain) > 1000:  # known, or a loop of replies: give up
                root = roots[i]
                break
            post = posts[i]
            parent_key = (post.network, post.reply_to_id or "")
            parent = in_batch.get(parent_key)
            chain.append(i)
            if parent is None or parent == i:
                root = stored.get(parent_key, roots[i])
                break
            i = parent
        for i in chain:
            roots[i] = root
            settled[i] = True
    return roots


def stored_only(
    posts: Sequence[Post], roots: Sequence[str], stored: Mapping[Key, int]
) -> tuple[Sequence[Post], Sequence[str]]:
    """The posts of a batch (one per key) that `stored` holds, with their roots.

    A first ingest stores every post, which the counts alone show.
    """
    if len(stored) == len(posts):
        return posts, roots
    kept = [i for i, p in enumerate(posts) if (p.network, p.source_id) in stored]
    return [posts[i] for i in kept], [roots[i] for i in kept]


def adoptions(posts: Sequence[Post], roots: Sequence[str]) -> list[tuple[str, str, str]]:
    """(new root, network, old root) for each new reply: earlier posts that took it as root move.

    A new root may itself be moved by another adoption of the batch (a stored post took a
    reply of this batch as its root); it is followed to its end, so the moves are final
    whatever order they run in, and can run as one set-based UPDATE.
    """
    moves = {
        (post.network, post.source_id): root
        for post, root in zip(posts, roots, strict=True)
        if post.reply_to_id is not None and root != post.source_id
    }
    found = []
    for (network, old), root in moves.items():
        seen = {old}
        while (network, root) in moves and root not in seen:
            seen.add(root)
            root = moves[(network, root)]
        found.append((root, network, old))
    return found
