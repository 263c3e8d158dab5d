"""The listening query language: parse a query into a tree, or say exactly where it is wrong.

    card AND (stolen OR "lost my card") -spam lang:es
    #NovaCardDown OR @NovaCardHelp NEAR/3 refund*
    (fraud OR scam) min_followers:10k -from:novacard urgency:critical

- Words match whole words, case-insensitively; `refund*` matches any word starting so.
- "Exact phrases" match consecutive words.
- `a NEAR/n b` matches when a and b are at most n words apart, in either order.
- `NOT x` and `-x` exclude; juxtaposition means AND; AND binds tighter than OR, NEAR
  tighter than AND, and parentheses group.
- Fields: lang, from, domain, has (link, media, mention, hashtag), min_followers (10k,
  1.5m), sentiment, intent, team, urgency (a level, or >=high), class (NAME or NAME=LABEL).
- `#tag` and `@handle` match the post's hashtags and mentions.

Operators are upper case (AND, OR, NOT, NEAR/n), as in Brandwatch and Sprinklr, so the
words "and" and "or" can still be searched for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapport.errors import InputError

FIELDS = (
    "lang", "from", "domain", "has", "min_followers", "sentiment", "intent", "team",
    "urgency", "class",
)  # fmt: skip
HAS_VALUES = ("link", "media", "mention", "hashtag")
SENTIMENTS = ("negative", "neutral", "positive")
URGENCY_LEVELS = ("low", "normal", "high", "critical")
MAX_QUERY_CHARS = 4096


class QueryError(InputError):
    """A malformed query; the message names the line, the column and what was expected."""

    def __init__(self, message: str, line: int, column: int, text: str, subject: str = "") -> None:
        self.problem, self.line, self.column, self.text = message, line, column, text
        source_line = text.split("\n")[line - 1] if text else ""
        caret = " " * (column - 1) + "^"
        where = f"{subject}, line {line}" if subject else f"line {line}"
        super().__init__(f"{where}, column {column}: {message}\n  {source_line}\n  {caret}")


# -- the tree ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str  # lower-cased
    prefix: bool = False  # a trailing wildcard


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Tag:
    kind: str  # "hashtag" or "mention"
    name: str  # lower-cased, without the sign


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    number: float = 0.0  # min_followers


@dataclass(frozen=True)
class Near:
    left: Word | Phrase
    right: Word | Phrase
    distance: int


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Word | Phrase | Tag | Field | Near | Not | And | Or


# -- tokens --------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<lparen>\()
      | (?P<rparen>\))
      | (?P<phrase>"[^"]*"?)
      | (?P<near>NEAR/\S*)
      | (?P<term>[^\s()"]+)""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def _tokens(text: str) -> list[Token]:
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "term"
        if kind != "space":
            found.append(Token(kind, match.group(), match.start()))
    return found


# -- parsing -------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0

    def error(self, message: str, offset: int | None = None) -> QueryError:
        if offset is None:
            offset = self.tokens[self.at].offset if self.at < len(self.tokens) else len(self.text)
        line, column = _position(self.text, offset)
        return QueryError(message, line, column, self.text)

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def is_operator(self, token: Token | None, *names: str) -> bool:
        return token is not None and token.kind == "term" and token.text in names

    def parse(self) -> Node:
        if not self.tokens:
            raise self.error("the query is empty; write at least one word, phrase or field")
        node = self.parse_or()
        token = self.peek()
        if token is not None and token.kind == "rparen":
            raise self.error("')' without a matching '('")
        if token is not None:
            raise self.error(f"unexpected {token.text!r}; expected AND, OR or the end")
        return node

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while self.is_operator(self.peek(), "OR"):
            self.take()
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self) -> Node:
        children = [self.parse_unary()]
        while True:
            token = self.peek()
            if token is None or token.kind == "rparen" or self.is_operator(token, "OR"):
                break
            if self.is_operator(token, "AND"):
                self.take()
            children.append(self.parse_unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self) -> Node:
        token = self.peek()
        if self.is_operator(token, "NOT"):
            self.take()
            return Not(self.parse_unary())
        if token is not None and token.kind == "term" and token.text.startswith("-"):
            self.take()
            if token.text == "-":  # -"a phrase" or -(a group)
                return Not(self.parse_atom())
            return Not(self.term(Token("term", token.text[1:], token.offset + 1)))
        return self.parse_near()

    def parse_near(self) -> Node:
        left = self.parse_atom()
        token = self.peek()
        if token is None or token.kind != "near":
            return left
        self.take()
        distance_text = token.text[len("NEAR/") :]
        if not distance_text.isdigit() or not 0 < int(distance_text) <= 100:
            raise self.error("NEAR needs a distance from 1 to 100, as in NEAR/3", token.offset)
        right = self.parse_atom()
        if not isinstance(left, Word | Phrase) or not isinstance(right, Word | Phrase):
            raise self.error("NEAR joins two words or phrases", token.offset)
        return Near(left, right, int(distance_text))

    def parse_atom(self) -> Node:
        token = self.peek()
        if token is None:
            raise self.error("the query ends too early; expected a word, phrase or field")
        if token.kind == "lparen":
            self.take()
            if self.peek() is not None and self.peek().kind == "rparen":  # type: ignore[union-attr]
                raise self.error("empty parentheses")
            node = self.parse_or()
            closing = self.peek()
            if closing is None or closing.kind != "rparen":
                raise self.error("this '(' is never closed", token.offset)
            self.take()
            return node
        if token.kind == "rparen":
            raise self.error("')' without a matching '('")
        if token.kind == "near":
            raise self.error("NEAR needs a word or phrase on its left")
        if self.is_operator(token, "AND", "OR"):
            raise self.error(f"{token.text} needs something on its left")
        self.take()
        if token.kind == "phrase":
            return self.phrase(token)
        return self.term(token)

    def phrase(self, token: Token) -> Node:
        if len(token.text) < 2 or not token.text.endswith('"'):
            raise self.error("this quote is never closed", token.offset)
        words = tuple(_words(token.text[1:-1]))
        if not words:
            raise self.error("an empty phrase", token.offset)
        return Word(words[0]) if len(words) == 1 else Phrase(words)

    def term(self, token: Token) -> Node:
        text = token.text
        if text[0] in "#＃" and len(text) > 1:
            return Tag("hashtag", text[1:].lower())
        if text[0] in "@＠" and len(text) > 1:
            return Tag("mention", text[1:].lower())
        name, sep, value = text.partition(":")
        if sep and name.lower() in FIELDS:
            return self.field(name.lower(), value, token)
        if sep and name.isalpha() and not value.startswith("//"):
            raise self.error(
                f"unknown field {name!r}; fields are {', '.join(FIELDS)}", token.offset
            )
        prefix = text.endswith("*")
        words = _words(text.rstrip("*"))
        if not words:
            raise self.error(f"{text!r} has no letters or digits to match", token.offset)
        if len(words) > 1:
            if prefix:
                raise self.error("a wildcard ends a single word", token.offset)
            return Phrase(tuple(words))
        if prefix and len(words[0]) < 2:
            raise self.error("a wildcard needs at least two letters before it", token.offset)
        return Word(words[0], prefix=prefix)

    def field(self, name: str, value: str, token: Token) -> Field:
        at = token.offset + len(name) + 1
        if not value:
            raise self.error(f"{name}: needs a value", at)
        lowered = value.lower()
        if name == "has" and lowered not in HAS_VALUES:
            raise self.error(f"has: takes {', '.join(HAS_VALUES)}", at)
        if name == "sentiment" and lowered not in SENTIMENTS:
            raise self.error(f"sentiment: takes {', '.join(SENTIMENTS)}", at)
        if name == "urgency" and lowered.removeprefix(">=") not in URGENCY_LEVELS:
            raise self.error(f"urgency: takes {', '.join(URGENCY_LEVELS)}, or >=LEVEL", at)
        if name == "min_followers":
            try:
                return Field(name, lowered, _count(lowered))
            except ValueError:
                raise self.error(
                    f"min_followers: takes a number such as 5000, 10k or 1.5m, not {value!r}", at
                ) from None
        if name == "class" and not re.fullmatch(r"[a-z][a-z0-9_]*(=\S+)?", lowered):
            raise self.error("class: takes NAME or NAME=LABEL", at)
        return Field(name, lowered.lstrip("@"))


def _count(text: str) -> float:
    """5000, 10k, 1.5m -> a number; ValueError otherwise."""
    scale = {"k": 1e3, "m": 1e6}.get(text[-1:], 1.0)
    return float(text[:-1] if scale != 1.0 else text) * scale


_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def parse(text: str) -> Node:
    """The query's tree; raises `QueryError` naming the line and column of a mistake."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"a query is at most {MAX_QUERY_CHARS} characters", 1, 1, text[:80])
    return _Parser(text).parse()
