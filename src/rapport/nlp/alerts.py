"""A tenant's own alert words per language, on top of the built-in cue phrases.

    # alert-words.toml (named by RAPPORT_ALERT_WORDS)
    [alert_words]
    en = ["meltdown", "class action"]
    es = ["desastre"]
    "*" = ["#boycottnovacard"]     # every language

A word counts only in posts of its language ("*": all). Found words join the post's
`alerts`, which the priority's keyword factor counts.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

from rapport.errors import ConfigError
from rapport.nlp.lexicon import PhraseMatcher

ANY_LANGUAGE = "*"
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


class AlertWords:
    def __init__(self, words: Mapping[str, Sequence[str]]) -> None:
        by_word: dict[str, set[str]] = {}
        for lang, listed in words.items():
            for word in listed:
                by_word.setdefault(word.strip().lower(), set()).add(lang)
        self._matcher = PhraseMatcher({w: frozenset(langs) for w, langs in by_word.items() if w})

    @classmethod
    def load(cls, path: Path) -> AlertWords:
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("alert_words")
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"cannot read the alert words file {path}: {error}") from error
        if not isinstance(table, dict):
            raise ConfigError(
                f"{path}: put the words in an [alert_words] table, one list per language"
            )
        for lang, listed in table.items():
            if lang != ANY_LANGUAGE and not _LANGUAGE.match(lang):
                raise ConfigError(f"{path}: {lang!r} is not a language code (en, es, ...) or '*'")
            if not isinstance(listed, list) or not all(
                isinstance(w, str) and w.strip() for w in listed
            ):
                raise ConfigError(f"{path}: alert_words.{lang} must be a list of non-empty strings")
        return cls(table)

    def find(self, lowered_text: str, lang: str) -> list[str]:
        """The alert words in a lower-cased text that count for its language."""
        return [
            phrase
            for phrase, langs in self._matcher.find(lowered_text)
            if lang in langs or ANY_LANGUAGE in langs
        ]
