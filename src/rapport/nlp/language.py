"""Language identification, tweet-aware: links, mentions and hashtags sigils are removed first.

Backed by py3langid (langid.py's model, 97 languages, shipped inside the package). The
detector answers ISO 639-1 codes and `und` when too little text remains to tell.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from rapport.records import Label

_NOISE = re.compile(r"(?:https?://|www\.)\S+|[@＠]\w+|[#＃$]")
_MIN_LETTERS = 3


class LanguageDetector:
    """Detects the language of short social posts."""

    @cached_property
    def _identifier(self) -> Any:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(self, text: str) -> Label:
        content = _NOISE.sub(" ", text)
        if sum(ch.isalpha() for ch in content) < _MIN_LETTERS:
            return Label(label="und", score=0.0)
        code, probability = self._identifier.classify(content)
        return Label(label=str(code), score=round(float(probability), 4))
