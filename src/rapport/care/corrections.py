"""Which corrections of the models' labels are labels the models could learn from."""

from __future__ import annotations

import re

from rapport.errors import InputError
from rapport.nlp.intent import INTENTS

SENTIMENTS = ("negative", "neutral", "positive")
_CLASS_FIELD = re.compile(r"^class:[a-z0-9_-]{1,64}$")
_LABEL = re.compile(r"^[\w-]{1,64}$")


def check_label(field: str, label: str) -> None:
    """InputError unless `label` is a value `field` (sentiment, intent, class:NAME) can take."""
    if field == "sentiment" and label not in SENTIMENTS:
        raise InputError(f"sentiment {label!r} is not one of {', '.join(SENTIMENTS)}")
    if field == "intent" and label not in INTENTS:
        raise InputError(f"intent {label!r} is not a known intent (see docs/models.md)")
    if field not in ("sentiment", "intent") and not _CLASS_FIELD.match(field):
        raise InputError(f"field {field!r} is not sentiment, intent or class:NAME")
    if not _LABEL.match(label):
        raise InputError(f"label {label!r} may hold letters, digits, '_' and '-' only")
