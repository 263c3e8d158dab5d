"""Thousands of listening queries matched against a batch of posts at little more than one.

Every query is parsed once. Each gets *anchors*: words of which at least one must appear
in a post for the query to possibly match (for `a AND b` the anchors of either side do;
for `a OR b` those of both; NOT has none). All anchors of all queries go into one
Aho-Corasick automaton. A post is scanned once; only the queries whose anchors it holds,
plus the few queries without anchors (fields alone, NOT ...), are then checked exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import ahocorasick

from rapport.listen.query import (
    URGENCY_LEVELS,
    And,
    Field,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    QueryError,
    Tag,
    Word,
    parse,
)
from rapport.records import Enrichment, Post

_WORD = re.compile(r"\w+")
# Scripts written without spaces: a query word in them matches inside longer runs of text.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u2e80-\ud7af]")
_NOT_A_CLASS = frozenset({"none", "other", "no", "false", "0"})


@dataclass(frozen=True)
class PostView:
    """What queries can ask about one post, computed once per post."""

    text: str  # lower-cased
    words: tuple[str, ...]
    word_set: frozenset[str]
    hashtags: frozenset[str]
    mentions: frozenset[str]
    domains: tuple[str, ...]
    lang: str
    handle: str
    followers: int
    has_link: bool
    has_media: bool
    sentiment: str | None = None
    intent: str | None = None
    team: str | None = None
    urgency: str | None = None
    classes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, post: Post, enrichment: Enrichment | None = None) -> PostView:
        text = post.text.lower()
        words = tuple(_WORD.findall(text))
        e = enrichment
        return cls(
            text=text,
            words=words,
            word_set=frozenset(words),
            hashtags=frozenset(h.lower() for h in post.hashtags),
            mentions=frozenset(m.lower() for m in post.mentions),
            domains=post.domains,
            lang=(e.lang if e is not None and e.lang != "und" else post.lang or "und").lower(),
            handle=post.author.handle.lower(),
            followers=post.author.followers,
            has_link=bool(post.links),
            has_media=post.has_media,
            sentiment=e.sentiment.label if e is not None and e.sentiment else None,
            intent=e.intent.label.lower() if e is not None and e.intent else None,
            team=e.team.lower() if e is not None and e.team else None,
            urgency=e.urgency.level if e is not None and e.urgency else None,
            classes={n: label.label.lower() for n, label in e.classes} if e is not None else {},
        )


def matches(node: Node, view: PostView) -> bool:
    """Whether the query tree holds for the post (the exact check after the prefilter)."""
    if isinstance(node, Word):
        return _word_matches(node, view)
    if isinstance(node, Phrase):
        return bool(_phrase_starts(node.words, view))
    if isinstance(node, Tag):
        return node.name in (view.hashtags if node.kind == "hashtag" else view.mentions)
    if isinstance(node, Field):
        return _field_matches(node, view)
    if isinstance(node, Near):
        return _near(node, view)
    if isinstance(node, Not):
        return not matches(node.child, view)
    if isinstance(node, And):
        return all(matches(child, view) for child in node.children)
    return any(matches(child, view) for child in node.children)


def _word_matches(node: Word, view: PostView) -> bool:
    if _UNSPACED.search(node.text):
        return node.text in view.text
    if node.prefix:
        return any(word.startswith(node.text) for word in view.words)
    return node.text in view.word_set


def _spans(side: Word | Phrase, view: PostView) -> list[tuple[int, int]]:
    if isinstance(side, Phrase):
        return [(i, i + len(side.words) - 1) for i in _phrase_starts(side.words, view)]
    if side.prefix:
        return [(i, i) for i, w in enumerate(view.words) if w.startswith(side.text)]
    return [(i, i) for i, w in enumerate(view.words) if w == side.text]


def _phrase_starts(words: tuple[str, ...], view: PostView) -> list[int]:
    if any(_UNSPACED.search(w) for w in words):
        return [0] if "".join(words) in view.text.replace(" ", "") else []
    if words[0] not in view.word_set:
        return []
    size = len(words)
    return [
        i
        for i, word in enumerate(view.words)
        if word == words[0] and view.words[i : i + size] == words
    ]


def _near(node: Near, view: PostView) -> bool:
    lefts, rights = _spans(node.left, view), _spans(node.right, view)
    for left_start, left_end in lefts:
        for right_start, right_end in rights:
            gap = right_start - left_end if right_start > left_end else left_start - right_end
            if 0 < gap <= node.distance:
                return True
    return False


def _field_matches(node: Field, view: PostView) -> bool:
    name, value = node.name, node.value
    if name == "lang":
        return view.lang == value
    if name == "from":
        return view.handle == value
    if name == "domain":
        return any(d == value or d.endswith("." + value) for d in view.domains)
    if name == "has":
        return {
            "link": view.has_link,
            "media": view.has_media,
            "mention": bool(view.mentions),
            "hashtag": bool(view.hashtags),
        }[value]
    if name == "min_followers":
        return view.followers >= node.number
    if name == "urgency":
        if view.urgency is None:
            return False
        if value.startswith(">="):
            return URGENCY_LEVELS.index(view.urgency) >= URGENCY_LEVELS.index(value[2:])
        return view.urgency == value
    if name == "class":
        classifier, _, label = value.partition("=")
        found = view.classes.get(classifier)
        if found is None:
            return False
        return (
            found == label if label else found not in _NOT_A_CLASS and not found.startswith("not_")
        )
    said: str | None = getattr(view, name)  # sentiment, intent, team
    return said == value


# -- compiling a tree into one function -------------------------------------------------

Check = Callable[[PostView], bool]


def compile_tree(node: Node) -> Check:
    """The same test as `matches(node, view)`, as nested closures: no dispatch per post."""
    if isinstance(node, Word):
        text = node.text
        if _UNSPACED.search(text):
            return lambda view: text in view.text
        if node.prefix:
            search = re.compile(r"\b" + re.escape(text)).search
            return lambda view: search(view.text) is not None
        return lambda view: text in view.word_set
    if isinstance(node, Phrase) and not any(_UNSPACED.search(w) for w in node.words):
        # Consecutive words are the words joined by non-word characters.
        search = re.compile(r"\b" + r"\W+".join(re.escape(w) for w in node.words) + r"\b").search
        first = node.words[0]
        return lambda view: first in view.word_set and search(view.text) is not None
    if isinstance(node, Tag):
        name = node.name
        if node.kind == "hashtag":
            return lambda view: name in view.hashtags
        return lambda view: name in view.mentions
    if isinstance(node, Not):
        child = compile_tree(node.child)
        return lambda view: not child(view)
    if isinstance(node, And):
        return _all([compile_tree(c) for c in node.children])
    if isinstance(node, Or):
        return _any([compile_tree(c) for c in node.children])
    if isinstance(node, Field) and node.name == "lang":
        lang = node.value
        return lambda view: view.lang == lang
    return lambda view: matches(node, view)  # phrases, NEAR and other fields


def _all(parts: list[Check]) -> Check:
    # Two or three parts are by far the most common: plain `and` beats a generator.
    if len(parts) == 2:
        first, second = parts
        return lambda view: first(view) and second(view)
    if len(parts) == 3:
        first, second, third = parts
        return lambda view: first(view) and second(view) and third(view)
    return lambda view: all(part(view) for part in parts)


def _any(parts: list[Check]) -> Check:
    if len(parts) == 2:
        first, second = parts
        return lambda view: first(view) or second(view)
    if len(parts) == 3:
        first, second, third = parts
        return lambda view: first(view) or second(view) or third(view)
    return lambda view: any(part(view) for part in parts)


# -- anchors and the shared matcher --------------------------------------------------------


def anchors(node: Node) -> frozenset[str] | None:
    """Words one of which any matching post contains; None when no such set exists."""
    if isinstance(node, Word):
        return frozenset({node.text})
    if isinstance(node, Phrase):
        return frozenset({max(node.words, key=len)})
    if isinstance(node, Tag):
        return frozenset({node.name})
    if isinstance(node, Near):
        return anchors(node.left)
    if isinstance(node, Field | Not):
        return None
    if isinstance(node, And):
        # Any one child's anchors will do: take the set likeliest to be rare in posts.
        options = [a for a in (anchors(c) for c in node.children) if a is not None]
        return min(options, key=_commonness) if options else None
    found: set[str] = set()
    for child in node.children:
        child_anchors = anchors(child)
        if child_anchors is None:
            return None
        found |= child_anchors
    return frozenset(found)


def _commonness(words: frozenset[str]) -> int:
    """A guess at how many posts hold any of these words: short words are common ones."""
    return sum(max(1, 9 - len(word)) for word in words)


@dataclass(frozen=True)
class CompiledQuery:
    query_id: str
    text: str
    tree: Node
    check: Check


class QuerySet:
    """Many queries (id -> text), compiled into one prefilter; errors name the query."""

    def __init__(self, queries: Mapping[str, str]) -> None:
        self.queries: list[CompiledQuery] = []
        for query_id, text in queries.items():
            try:
                tree = parse(text)
                self.queries.append(CompiledQuery(query_id, text, tree, compile_tree(tree)))
            except QueryError as error:
                raise QueryError(
                    error.problem, error.line, error.column, text, subject=f"query {query_id!r}"
                ) from None
        self._always: list[int] = []
        by_anchor: dict[str, list[int]] = {}
        for index, query in enumerate(self.queries):
            found = anchors(query.tree)
            if found is None:
                self._always.append(index)
            else:
                for anchor in found:
                    by_anchor.setdefault(anchor, []).append(index)
        self._automaton = ahocorasick.Automaton()
        for anchor, indices in by_anchor.items():
            self._automaton.add_word(anchor, (len(anchor), tuple(indices)))
        if by_anchor:
            self._automaton.make_automaton()
        self._has_anchors = bool(by_anchor)

    def __len__(self) -> int:
        return len(self.queries)

    def candidates(self, view: PostView) -> set[int]:
        """Queries that may match: those with an anchor in the text, and those without anchors."""
        found = set(self._always)
        if self._has_anchors:
            text = view.text
            for end, (length, indices) in self._automaton.iter(text):
                start = end - length + 1
                if start > 0 and text[start - 1].isalnum() and not _UNSPACED.match(text[start]):
                    continue  # the anchor starts inside a longer word
                found.update(indices)
        return found

    def match(self, view: PostView) -> list[str]:
        """Ids of the queries the post matches, in the order the queries were given."""
        return [
            self.queries[i].query_id
            for i in sorted(self.candidates(view))
            if self.queries[i].check(view)
        ]
