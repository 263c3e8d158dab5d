"""Language identification for short social posts, in three steps.

1. **Script.** Letters are counted per writing system over the whole batch with numpy.
   Scripts that one language owns (Hangul, kana, Thai, Greek, Tamil, ...) decide at once.
2. **Rapport's own model** (`models/language.npz`, trained by `rapport train` on tweets
   in 25 languages, romanised Hindi and Hinglish included) chooses among the languages it
   knows that are written in that script.
3. **py3langid** (langid.py's model, shipped in its package) is asked only when the own
   model is unsure, and only among the scripts' other languages; it brings the languages
   Rapport has no tweets for (Ukrainian, Persian, Czech, Romanian, ...).

Mentions, links and hashtag signs are removed before counting, so "@NovaCardHelp #fail"
does not make a Spanish post English. Fewer than three letters left is `und`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from rapport.nlp.extract import features_for
from rapport.nlp.langid_batch import BatchLangid
from rapport.nlp.models import load_head
from rapport.records import Label

# The languages people post in at volume; the fallback model chooses only among these, since
# on short posts its rare languages (Occitan, Nigerian Pidgin, Javanese) win by accident.
# fmt: off
SOCIAL_LANGUAGES = (
    "af", "am", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en",
    "eo", "es", "et", "eu", "fa", "fi", "fr", "ga", "gl", "gu", "he", "hi", "hr", "hu", "hy",
    "id", "is", "it", "ja", "ka", "kk", "km", "kn", "ko", "lt", "lv", "mk", "ml", "mn", "mr",
    "ms", "my", "ne", "nl", "no", "pa", "pl", "ps", "pt", "ro", "ru", "si", "sk", "sl", "sq",
    "sr", "sv", "sw", "ta", "te", "th", "tl", "tr", "uk", "ur", "uz", "vi", "zh",
)
# fmt: on

# (first code point, last code point, script) for letters only: digits, punctuation and
# emoji fall outside every range and are not counted.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x41, 0x5A, "latin"), (0x61, 0x7A, "latin"), (0xC0, 0xD6, "latin"), (0xD8, 0xF6, "latin"),
    (0xF8, 0x24F, "latin"), (0x370, 0x3FF, "greek"), (0x400, 0x52F, "cyrillic"),
    (0x531, 0x58F, "armenian"), (0x591, 0x5F4, "hebrew"), (0x600, 0x6FF, "arabic"),
    (0x750, 0x77F, "arabic"), (0x900, 0x97F, "devanagari"), (0x980, 0x9FF, "bengali"),
    (0xA00, 0xA7F, "gurmukhi"), (0xA80, 0xAFF, "gujarati"), (0xB00, 0xB7F, "oriya"),
    (0xB80, 0xBFF, "tamil"), (0xC00, 0xC7F, "telugu"), (0xC80, 0xCFF, "kannada"),
    (0xD00, 0xD7F, "malayalam"), (0xD80, 0xDFF, "sinhala"), (0xE00, 0xE7F, "thai"),
    (0xE80, 0xEFF, "lao"), (0x1000, 0x109F, "myanmar"), (0x10A0, 0x10FF, "georgian"),
    (0x1100, 0x11FF, "hangul"), (0x1200, 0x137F, "ethiopic"), (0x1780, 0x17FF, "khmer"),
    (0x1E00, 0x1EFF, "latin"), (0x3040, 0x30FF, "kana"), (0x3130, 0x318F, "hangul"),
    (0x31F0, 0x31FF, "kana"), (0x3400, 0x4DBF, "han"), (0x4E00, 0x9FFF, "han"),
    (0xAC00, 0xD7AF, "hangul"), (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"),
    (0xFF21, 0xFF3A, "latin"), (0xFF41, 0xFF5A, "latin"), (0xFF66, 0xFF9F, "kana"),
)  # fmt: skip
SCRIPTS: tuple[str, ...] = tuple(sorted({script for _, _, script in _RANGES}))
_SCRIPT_ID = {script: i for i, script in enumerate(SCRIPTS)}
# Scripts that one language owns (Devanagari: Hindi; Marathi and Nepali are called Hindi).
_SCRIPT_LANGUAGE = {
    "armenian": "hy", "bengali": "bn", "devanagari": "hi", "ethiopic": "am", "georgian": "ka",
    "greek": "el",
    "gujarati": "gu", "gurmukhi": "pa", "hangul": "ko", "hebrew": "he", "kannada": "kn",
    "khmer": "km", "lao": "lo", "malayalam": "ml", "myanmar": "my", "oriya": "or",
    "sinhala": "si", "tamil": "ta", "telugu": "te", "thai": "th",
}  # fmt: skip
# Languages the fallback may choose for each shared script.
_SCRIPT_CANDIDATES = {
    "latin": tuple(
        code for code in SOCIAL_LANGUAGES
        if code not in {"am", "ar", "be", "bg", "bn", "el", "fa", "gu", "he", "hi", "hy", "ja",
                        "ka", "kk", "km", "kn", "ko", "mk", "ml", "mn", "mr", "my", "ne", "pa",
                        "ps", "ru", "si", "ta", "te", "th", "uk", "ur", "zh"}
    ),
    "cyrillic": ("be", "bg", "kk", "mk", "mn", "ru", "sr", "uk"),
    "arabic": ("ar", "fa", "ps", "ur"),
}  # fmt: skip

LATIN_SCRIPT_LANGUAGES = frozenset(_SCRIPT_CANDIDATES["latin"]) | {"hi"}

# Every alternative starts with a literal, so the regex engine skips ahead to those
# characters instead of trying the pattern at every position (5x faster on posts).
_NOISE = re.compile(r"#|＃|\$|@\w+|＠\w+|https?://\S+|www\.\S+")
_MIN_LETTERS = 3
# Below this own-model probability the fallback is asked; above it the own model stands.
SURE = 0.55
# Languages that short posts in bigger neighbours fall into (a Portuguese "valeu, resolvido"
# scored as Bosnian) must clear a higher bar before the own model's answer stands.
MINOR_SURE = 0.85
_SURE_FOR = dict.fromkeys(("bg", "bs", "hr", "hu", "sk", "sl", "sq", "sr", "sv"), MINOR_SURE)
# The fallback overrides the own model when it is at least this sure, or this much surer.
FALLBACK_MARGIN = 0.3
FALLBACK_SURE = 0.95

_SCRIPT_WEIGHT = np.array([1 if script == "latin" else 3 for script in SCRIPTS])
_UNDETERMINED = Label(label="und", score=0.0)
_OWNED = {script: Label(label=code, score=1.0) for script, code in _SCRIPT_LANGUAGE.items()} | {
    "kana": Label(label="ja", score=1.0),
    "han": Label(label="zh", score=1.0),
}
_STARTS = np.array([start for start, _, _ in _RANGES], dtype=np.int64)
_ENDS = np.array([end for _, end, _ in _RANGES], dtype=np.int64)
_IDS = np.array([_SCRIPT_ID[script] for _, _, script in _RANGES], dtype=np.int64)
_ORDER = np.argsort(_STARTS)


def script_counts(texts: Sequence[str]) -> np.ndarray:
    """Letters per script for each text (rows: texts, columns: `SCRIPTS`), noise removed."""
    return _script_counts(texts)[0]


def _script_counts(texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """(letters per script, texts without handles, links and hashtag signs)."""
    if not texts:
        return np.zeros((0, len(SCRIPTS)), dtype=np.int64), []
    joined = _NOISE.sub(" ", "\n".join(t.replace("\n", " ") for t in texts))
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    points = points.astype(np.int64)
    doc = np.cumsum(points == 10)
    at = np.searchsorted(_STARTS[_ORDER], points, side="right") - 1
    inside = (at >= 0) & (points <= _ENDS[_ORDER][np.maximum(at, 0)])
    script = _IDS[_ORDER][np.maximum(at, 0)]
    flat = doc[inside] * len(SCRIPTS) + script[inside]
    counts = np.bincount(flat, minlength=len(texts) * len(SCRIPTS))
    return counts.reshape(len(texts), len(SCRIPTS)), joined.split("\n")


# Letters only one Cyrillic alphabet uses. Rapport has no tweets in these languages, and
# the own model would otherwise call them Russian or Bulgarian.
_CYRILLIC_LETTERS = (
    ("uk", frozenset("їєґ")),
    ("be", frozenset("ў")),
    ("kk", frozenset("әғқңөұһ")),
    ("mk", frozenset("ќѓѕ")),
    ("sr", frozenset("ђћџ")),
)


# Letters that tell a language the own model has no data for from its neighbours.
_LATIN_LETTERS = (
    ("vi", frozenset("ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")),
    ("cs", frozenset("řůě")),
    ("ro", frozenset("șț")),  # comma below; Turkish writes ş with a cedilla
)
_ARABIC_LETTERS = (
    ("ur", frozenset("ٹڈڑںےھ")),
    ("fa", frozenset("پچژگکی")),
)
_BY_SCRIPT = {"cyrillic": _CYRILLIC_LETTERS, "latin": _LATIN_LETTERS, "arabic": _ARABIC_LETTERS}
# Own-model languages with close neighbours it never saw: py3langid settles between them.
_NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "sv": ("sv", "da", "no", "fi"),
    "id": ("id", "ms", "tl", "sw"),
    "sk": ("sk", "cs"),
}
NEIGHBOUR_SURE = 0.9
# Indonesian is a big market: only its less certain posts are checked for Malay, Tagalog and
# Swahili (those scored 0.73 to 0.97 here), so most Indonesian posts skip the second model.
_CHECK_NEIGHBOURS_BELOW = {"id": 0.99}


_LETTER_PATTERNS = {
    script: tuple(
        (
            code,
            re.compile(
                "[" + re.escape("".join(sorted(letters | {c.upper() for c in letters}))) + "]"
            ),
        )
        for code, letters in rules
    )
    for script, rules in _BY_SCRIPT.items()
}
_ANY_LETTER = {
    script: re.compile("|".join(pattern.pattern for _, pattern in patterns))
    for script, patterns in _LETTER_PATTERNS.items()
}


def _by_letters(script: str, text: str) -> Label | None:
    """A language told by two of its own letters (one regex scan when none are there)."""
    screen = _ANY_LETTER.get(script)
    if screen is None or screen.search(text) is None:
        return None
    for code, pattern in _LETTER_PATTERNS[script]:
        if len(pattern.findall(text)) >= 2:
            return Label(label=code, score=0.99)
    return None


class LanguageDetector:
    """Detects the language of short social posts; batch-first."""

    @cached_property
    def _head(self) -> Any:
        return load_head("language")

    @cached_property
    def _script_masks(self) -> np.ndarray:
        """For each script, which of the own model's classes are written in it."""
        head = self._head
        written: dict[str, list[str]] = head.meta["scripts"]
        masks = np.zeros((len(SCRIPTS), len(head.classes)), dtype=bool)
        for column, code in enumerate(head.classes):
            for script in written.get(code, []):
                masks[_SCRIPT_ID[script], column] = True
        return masks

    @cached_property
    def _fallbacks(self) -> dict[str, Any]:
        return {}

    @cached_property
    def _fallback_model(self) -> Any:
        """py3langid's whole model: half a second to load, so loaded once."""
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def _fallback(self, name: str, languages: Sequence[str]) -> BatchLangid:
        """py3langid restricted to some languages, classifying in batches (one per set,
        made once).

        Restricting builds new arrays from the full model and leaves it as it was, so each
        set is a shallow copy of the one loaded model.
        """
        if name not in self._fallbacks:
            identifier = copy.copy(self._fallback_model)
            identifier.set_languages(languages)
            self._fallbacks[name] = BatchLangid(identifier)
        fallback: BatchLangid = self._fallbacks[name]
        return fallback

    def __getstate__(self) -> dict[str, Any]:
        # Copies sent to another process load the models there instead of pickling them.
        return {}

    def languages(self) -> frozenset[str]:
        """Every code the detector can answer (besides `und`)."""
        found = set(self._head.classes) | set(_SCRIPT_LANGUAGE.values()) | {"ja", "zh"}
        for candidates in (*_SCRIPT_CANDIDATES.values(), *_NEIGHBOURS.values()):
            found |= set(candidates)
        for rules in _BY_SCRIPT.values():
            found |= {code for code, _ in rules}
        return frozenset(found)

    def detect(self, text: str) -> Label:
        return self.detect_batch([text])[0]

    def detect_batch(
        self, texts: Sequence[str], features: sp.csr_matrix | None = None
    ) -> list[Label]:
        if not texts:
            return []
        counts, cleaned = _script_counts(texts)
        letters = counts.sum(axis=1).tolist()
        # Brand names and hashtags are often Latin inside Japanese, Arabic or Russian posts,
        # so other scripts' letters weigh more when choosing the post's script.
        weighted = counts * _SCRIPT_WEIGHT
        # Kana and kanji together are Japanese writing: they count as one script here.
        weighted[:, _SCRIPT_ID["han"]] += weighted[:, _SCRIPT_ID["kana"]]
        weighted[:, _SCRIPT_ID["kana"]] = 0
        dominant = weighted.argmax(axis=1)
        head = self._head
        if features is None:
            features = features_for(texts, head.spec)
        probs = head.probabilities(features) * self._script_masks[dominant]
        totals = probs.sum(axis=1)
        best = probs.argmax(axis=1)
        sure = np.round(probs[np.arange(len(best)), best] / np.maximum(totals, 1e-12), 4).tolist()
        classes = head.classes
        found: list[Label] = []
        # Rows py3langid must settle: (row, fallback set, own code, own score), asked per set
        # once the loop is done, so each set classifies its rows in one batch.
        neighbours: list[tuple[int, str, float]] = []
        unsure: list[tuple[int, str, str | None, float]] = []
        for i, script_id in enumerate(dominant.tolist()):
            script = SCRIPTS[script_id]
            if letters[i] < _MIN_LETTERS:
                found.append(_UNDETERMINED)
            elif script in _SCRIPT_LANGUAGE:
                found.append(_OWNED[script])
            elif script in ("han", "kana"):
                kana = counts[i, _SCRIPT_ID["kana"]]
                # Japanese mixes kana into its kanji; Chinese never uses kana.
                japanese = kana * 10 >= counts[i, _SCRIPT_ID["han"]] + kana
                found.append(_OWNED["kana"] if japanese else _OWNED["han"])
            elif (marked := _by_letters(script, texts[i])) is not None:
                found.append(marked)
            elif totals[i] > 0 and sure[i] >= _SURE_FOR.get(classes[best[i]], SURE):
                own_code = classes[best[i]]
                found.append(Label(label=own_code, score=sure[i]))
                if own_code in _NEIGHBOURS and sure[i] < _CHECK_NEIGHBOURS_BELOW.get(own_code, 2.0):
                    neighbours.append((i, own_code, sure[i]))
            else:
                own = classes[best[i]] if totals[i] > 0 else None
                found.append(_UNDETERMINED if own is None else Label(label=own, score=sure[i]))
                unsure.append((i, script, own, sure[i]))
        self._settle_neighbours(found, neighbours, cleaned)
        self._settle_unsure(found, unsure, cleaned)
        return found

    def _settle_neighbours(
        self, found: list[Label], rows: list[tuple[int, str, float]], cleaned: list[str]
    ) -> None:
        """The own model named a language whose neighbours it never saw: py3langid,
        restricted to that family, says whether each post is a neighbour instead."""
        for own_code in sorted({code for _, code, _ in rows}):
            chosen = [(i, score) for i, code, score in rows if code == own_code]
            answers = self._fallback(own_code, _NEIGHBOURS[own_code]).classify(
                [cleaned[i] for i, _ in chosen]
            )
            for (i, _), (code, probability) in zip(chosen, answers, strict=True):
                if code != own_code and probability >= NEIGHBOUR_SURE:
                    found[i] = Label(label=code, score=round(probability, 4))

    def _settle_unsure(
        self,
        found: list[Label],
        rows: list[tuple[int, str, str | None, float]],
        cleaned: list[str],
    ) -> None:
        """The own model is unsure, or knows no language of the post's script: py3langid,
        restricted to the script's languages, answers instead when it is surer."""
        asked = [row for row in rows if row[1] in _SCRIPT_CANDIDATES and row[2] != "hi"]
        for script in sorted({row[1] for row in asked}):
            chosen = [row for row in asked if row[1] == script]
            answers = self._fallback(script, _SCRIPT_CANDIDATES[script]).classify(
                [cleaned[row[0]] for row in chosen]
            )
            for (i, _, own_code, own_score), (code, probability) in zip(
                chosen, answers, strict=True
            ):
                if own_code is None or (
                    code != own_code
                    and (probability >= FALLBACK_SURE or probability >= own_score + FALLBACK_MARGIN)
                ):
                    found[i] = Label(label=code, score=round(probability, 4))
