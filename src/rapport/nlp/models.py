"""Where the shipped models live, and loading each once per process.

Models are files inside the installed package (`rapport/models/*.npz`), written by
`rapport train` and committed. Nothing is fetched at run time.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rapport.errors import ConfigError
from rapport.nlp.linear import LinearHead

MODEL_DIR = Path(__file__).resolve().parent.parent / "models"
SHIPPED = ("language", "sentiment", "intent", "complaint")


def model_path(name: str, directory: Path | None = None) -> Path:
    return (directory or MODEL_DIR) / f"{name}.npz"


@cache
def load_head(name: str) -> LinearHead:
    path = model_path(name)
    if not path.is_file():
        raise ConfigError(
            f"model {name!r} is missing at {path}; rebuild the models with "
            "`rapport train --datasets ../shared/datasets`"
        )
    return LinearHead.load(path)
