"""Thousands of listening queries matched against a batch of posts at little more than one.

Every query is parsed once. Each gets *requirements*: sets of words such that a matching
post holds a word of every set (`a AND (b OR c)` needs {a} and {b, c}; `(a b) OR c` needs
{a, c} and {b, c}; NOT and fields need nothing). All their words, the *anchors*, go into
one Aho-Corasick automaton. A post is scanned once; only the queries whose requirements
its anchors meet, plus the few queries that need nothing (fields alone, NOT ...), are then
checked exactly.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick
import msgspec

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


_EMPTY: frozenset[str] = frozenset()


class Facts(NamedTuple):
    """What the models and the network said of a post, as queries and rules compare it."""

    lang: str
    sentiment: str | None
    intent: str | None
    team: str | None
    urgency: str | None


def facts_of(post: Post, e: Enrichment | None) -> Facts:
    """The post's facts; rules read these alone when none of their queries is reached."""
    if e is None:
        return Facts((post.lang or "und").lower(), None, None, None, None)
    return Facts(
        (e.lang if e.lang != "und" else post.lang or "und").lower(),
        e.sentiment.label if e.sentiment else None,
        e.intent.label.lower() if e.intent else None,
        e.team.lower() if e.team else None,
        e.urgency.level if e.urgency else None,
    )


# A msgspec struct: built in C, four times faster than a frozen dataclass, and one view is
# built per post. It holds no references back to itself, so the cycle collector skips it.
class PostView(msgspec.Struct, frozen=True, gc=False):
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
    classes: dict[str, str] = msgspec.field(default_factory=dict)

    @classmethod
    def of(
        cls, post: Post, enrichment: Enrichment | None = None, facts: Facts | None = None
    ) -> PostView:
        """The view; `facts`, when the caller has them, are `facts_of(post, enrichment)`."""
        text = post.text.lower()
        words = tuple(_WORD.findall(text))
        lang, sentiment, intent, team, urgency = facts or facts_of(post, enrichment)
        hashtags, mentions = post.hashtags, post.mentions
        return cls(
            text=text,
            words=words,
            word_set=frozenset(words),
            hashtags=frozenset([h.lower() for h in hashtags]) if hashtags else _EMPTY,
            mentions=frozenset([m.lower() for m in mentions]) if mentions else _EMPTY,
            domains=post.domains,
            lang=lang,
            handle=post.author.handle.lower(),
            followers=post.author.followers,
            has_link=bool(post.links),
            has_media=post.has_media,
            sentiment=sentiment,
            intent=intent,
            team=team,
            urgency=urgency,
            classes=(
                {n: label.label.lower() for n, label in enrichment.classes}
                if enrichment is not None and enrichment.classes
                else {}
            ),
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
            # The whole word is the usual way to hold the prefix, and a set lookup.
            return lambda view: text in view.word_set or search(view.text) is not None
        return lambda view: text in view.word_set
    if isinstance(node, Phrase) and not any(_UNSPACED.search(w) for w in node.words):
        # Consecutive words are the words joined by non-word characters.
        search = re.compile(r"\b" + r"\W+".join(re.escape(w) for w in node.words) + r"\b").search
        # Each word must be there first, and set lookups are cheaper than the search.
        needed = frozenset(node.words)
        return lambda view: needed <= view.word_set and search(view.text) is not None
    if isinstance(node, Tag):
        name = node.name
        if node.kind == "hashtag":
            return lambda view: name in view.hashtags
        return lambda view: name in view.mentions
    if isinstance(node, Not):
        child = compile_tree(node.child)
        return lambda view: not child(view)
    if isinstance(node, And | Or):
        # The parts are pure tests, so their order does not change the answer; testing the
        # cheap ones first lets `and` and `or` skip the searches most of the time.
        parts = [compile_tree(c) for c in sorted(node.children, key=_cost)]
        return _all(parts) if isinstance(node, And) else _any(parts)
    if isinstance(node, Field) and node.name == "lang":
        lang = node.value
        return lambda view: view.lang == lang
    return lambda view: matches(node, view)  # phrases, NEAR and other fields


def _cost(node: Node) -> int:
    """A rough rank of how long a test takes: set lookups, fields, searches, NEAR."""
    if isinstance(node, Tag | Field):
        return 1
    if isinstance(node, Word):
        return 2 if node.prefix or _UNSPACED.search(node.text) else 0
    if isinstance(node, Phrase):
        return 2
    if isinstance(node, Near):
        return 3
    if isinstance(node, Not):
        return _cost(node.child)
    return max(_cost(child) for child in node.children)


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


# -- requirements and the shared matcher ---------------------------------------------------

# An OR of children with several requirements each becomes the product of their choices;
# past this many the OR keeps one requirement, the union of each child's rarest.
_MAX_CLAUSES = 16
# Posts repeat the same few anchor words, so the candidates for a set of anchors found are
# remembered; the memory is emptied when it holds this many sets.
_MEMO_LIMIT = 50_000


def requirements(node: Node) -> tuple[frozenset[str], ...]:
    """Sets of words such that a matching post holds one word of each set; () for none.

    A post passes the prefilter only when every set is met, so `a AND (b OR c)` needs `a`
    and one of `b`, `c`, not merely one of the three.
    """
    if isinstance(node, Word):
        return (frozenset({node.text}),)
    if isinstance(node, Phrase):
        if any(_UNSPACED.search(w) for w in node.words):
            # Joined without spaces, so only the longest word is a safe anchor.
            return (frozenset({max(node.words, key=len)}),)
        return _simplest([frozenset({w}) for w in node.words])
    if isinstance(node, Tag):
        return (frozenset({node.name}),)
    if isinstance(node, Near):
        return _simplest([*requirements(node.left), *requirements(node.right)])
    if isinstance(node, Field | Not):
        return ()
    if isinstance(node, And):
        return _simplest([c for child in node.children for c in requirements(child)])
    options = [requirements(child) for child in node.children]
    if not all(options):
        return ()
    if math.prod(len(o) for o in options) > _MAX_CLAUSES:
        return (frozenset().union(*(min(o, key=_commonness) for o in options)),)
    # (a AND b) OR c holds exactly when (a OR c) AND (b OR c) does.
    return _simplest([frozenset().union(*choice) for choice in itertools.product(*options)])


def _simplest(found: list[frozenset[str]]) -> tuple[frozenset[str], ...]:
    """The sets without repeats, and without those a smaller set already implies."""
    kept: list[frozenset[str]] = []
    for clause in sorted(set(found), key=lambda c: (len(c), sorted(c))):
        if not any(smaller <= clause for smaller in kept):
            kept.append(clause)
    return tuple(kept)


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
    """Many queries (id -> text), compiled into one prefilter; errors name the query.

    Each anchor word gets a bit. Scanning a post sets the bits of the anchors it holds;
    a query is a candidate when each of its requirements shares a bit with the post.
    Queries are filed under the anchors of their rarest requirement, so a scan looks only
    at queries that one of its anchors names.
    """

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
        self._ids = [query.query_id for query in self.queries]
        self._checks = [query.check for query in self.queries]
        self._always: list[int] = []
        bits: dict[str, int] = {}
        filed: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
        for index, query in enumerate(self.queries):
            needed = requirements(query.tree)
            if not needed:
                self._always.append(index)
                continue
            for word in itertools.chain.from_iterable(needed):
                bits.setdefault(word, 1 << len(bits))
            rarest = min(needed, key=_commonness)
            others = tuple(_mask(clause, bits) for clause in needed if clause is not rarest)
            for word in rarest:
                filed.setdefault(word, []).append((index, others))
        # By bit position: the queries filed under that anchor, with their other masks.
        self._filed: list[tuple[tuple[int, tuple[int, ...]], ...]] = [
            tuple(filed.get(word, ())) for word in bits
        ]
        self._automaton = ahocorasick.Automaton()
        for word, bit in bits.items():
            self._automaton.add_word(word, (len(word), bit))
        if bits:
            self._automaton.make_automaton()
        self._has_anchors = bool(bits)
        self._memo: dict[int, tuple[int, ...]] = {}

    def __len__(self) -> int:
        return len(self.queries)

    def _anchors_in(self, text: str) -> int:
        """The bits of the anchors that start a word of the (lower-cased) text."""
        found = 0
        if self._has_anchors:
            for end, (length, bit) in self._automaton.iter(text):
                if found & bit:
                    continue
                start = end - length + 1
                if start > 0 and text[start - 1].isalnum() and not _UNSPACED.match(text[start]):
                    continue  # the anchor starts inside a longer word
                found |= bit
        return found

    def candidates(self, view: PostView) -> tuple[int, ...]:
        """Queries that may match, in order: those whose requirements the text meets."""
        return self.candidates_in(view.text)

    def candidates_in(self, text: str) -> tuple[int, ...]:
        """`candidates` from the lower-cased text alone, before a view is worth building."""
        found = self._anchors_in(text)
        known = self._memo.get(found)
        if known is None:
            known = self._candidates(found)
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[found] = known
        return known

    def _candidates(self, found: int) -> tuple[int, ...]:
        chosen = set(self._always)
        rest = found
        while rest:
            low = rest & -rest
            rest ^= low
            for index, others in self._filed[low.bit_length() - 1]:
                if all(found & mask for mask in others):
                    chosen.add(index)
        return tuple(sorted(chosen))

    def match(self, view: PostView) -> list[str]:
        """Ids of the queries the post matches, in the order the queries were given."""
        checks, ids = self._checks, self._ids
        return [ids[i] for i in self.candidates(view) if checks[i](view)]


def _mask(words: frozenset[str], bits: Mapping[str, int]) -> int:
    mask = 0
    for word in words:
        mask |= bits[word]
    return mask
