"""Language identification, tweet-aware: links, mentions and hashtags sigils are removed first.

Backed by py3langid (langid.py's model, shipped inside the package), limited to the
languages of `SOCIAL_LANGUAGES`. The
detector answers ISO 639-1 codes and `und` when too little text remains to tell.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from rapport.records import Label

# The languages people post in at volume. The model knows 140, many of them rare or
# historical; on short posts those rare ones mostly win by accident (Occitan for Spanish,
# Nigerian Pidgin for English), so the detector only chooses among these.
# fmt: off
SOCIAL_LANGUAGES = (
    "af", "am", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "en",
    "eo", "es", "et", "eu", "fa", "fi", "fr", "ga", "gl", "gu", "he", "hi", "hr", "hu", "hy",
    "id", "is", "it", "ja", "ka", "kk", "km", "kn", "ko", "lt", "lv", "mk", "ml", "mn", "mr",
    "ms", "my", "ne", "nl", "no", "pa", "pl", "ps", "pt", "ro", "ru", "si", "sk", "sl", "sq",
    "sr", "sv", "sw", "ta", "te", "th", "tl", "tr", "uk", "ur", "uz", "vi", "zh",
)
# fmt: on

_NOISE = re.compile(r"(?:https?://|www\.)\S+|[@＠]\w+|[#＃$]")
_MIN_LETTERS = 3


class LanguageDetector:
    """Detects the language of short social posts."""

    @cached_property
    def _identifier(self) -> Any:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        identifier.set_languages(SOCIAL_LANGUAGES)
        return identifier

    def __getstate__(self) -> dict[str, Any]:
        # Copies sent to another process load the model there instead of pickling it.
        return {}

    def detect(self, text: str) -> Label:
        content = _NOISE.sub(" ", text)
        if sum(ch.isalpha() for ch in content) < _MIN_LETTERS:
            return Label(label="und", score=0.0)
        code, probability = self._identifier.classify(content)
        return Label(label=str(code), score=round(float(probability), 4))
