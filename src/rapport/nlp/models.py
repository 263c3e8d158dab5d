"""Where the shipped models live, and loading each once per process.

Models are files inside the installed package (`rapport/models/*.npz`), written by
`rapport train` and committed. Nothing is fetched at run time.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rapport.errors import ConfigError
from rapport.nlp.english import EnglishHead
from rapport.nlp.linear import LinearHead

MODEL_DIR = Path(__file__).resolve().parent.parent / "models"
SHIPPED = ("language", "sentiment", "intent", "complaint")
ENGLISH_SENTIMENT = "sentiment_en"  # its own features (`nlp/english.py`), not a LinearHead
MODEL_FILES = (*SHIPPED, ENGLISH_SENTIMENT)


def model_path(name: str, directory: Path | None = None) -> Path:
    return (directory or MODEL_DIR) / f"{name}.npz"


def _shipped(name: str) -> Path:
    path = model_path(name)
    if not path.is_file():
        raise ConfigError(
            f"model {name!r} is missing at {path}; rebuild the models with "
            "`rapport train --datasets ../shared/datasets`"
        )
    return path


@cache
def load_head(name: str) -> LinearHead:
    return LinearHead.load(_shipped(name))


@cache
def load_english_sentiment() -> EnglishHead:
    return EnglishHead.load(_shipped(ENGLISH_SENTIMENT))
