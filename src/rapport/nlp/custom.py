"""Custom classifiers: a user's own labels, a few dozen posts per class, used by name after.

`train_classifier` fits a linear head over the same shared features as the shipped models,
reports cross-validated precision and recall per class, calibrates its probabilities on
the out-of-fold scores and saves it as `NAME.npz` in the classifiers folder (by default
DATA_DIR/classifiers). Agents' corrections later feed the same function.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from rapport.errors import ConfigError, InputError, NotFound
from rapport.nlp.extract import features_for
from rapport.nlp.features import DEFAULT_SPEC
from rapport.nlp.linear import LinearHead
from rapport.records import Label

NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MIN_PER_CLASS = 5
MAX_FOLDS = 5


@dataclass(frozen=True)
class ClassReport:
    label: str
    support: int
    precision: float
    recall: float


@dataclass(frozen=True)
class TrainingReport:
    name: str
    path: Path
    folds: int
    accuracy: float
    classes: tuple[ClassReport, ...]


def read_labels(path: Path) -> tuple[list[str], list[str]]:
    """`text,label` rows from a CSV file with that header; errors name the row."""
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read labels file {path}: {error.strerror}") from error
    texts: list[str] = []
    labels: list[str] = []
    with handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"text", "label"} <= set(reader.fieldnames):
            raise InputError(f"{path}: the first row must be a header with columns text,label")
        try:
            for row in reader:
                text, label = (row.get("text") or "").strip(), (row.get("label") or "").strip()
                if not text or not label:
                    raise InputError(f"{path}, line {reader.line_num}: empty text or label")
                texts.append(text)
                labels.append(label)
        except (csv.Error, UnicodeDecodeError) as error:
            raise InputError(f"{path}, line {reader.line_num}: {error}") from error
    return texts, labels


def train_classifier(
    name: str, texts: Sequence[str], labels: Sequence[str], directory: Path
) -> TrainingReport:
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.model_selection import StratifiedKFold

    from rapport.training.fit import SEED, Recipe, fit_matrix, fit_temperature

    if not NAME.match(name):
        raise ConfigError(
            f"classifier name {name!r}: use lower-case letters, digits and _ (up to 64), "
            "starting with a letter"
        )
    counts = Counter(labels)
    if len(counts) < 2:
        raise InputError(f"classifier {name!r} needs at least two labels; found {sorted(counts)}")
    scarce = sorted(label for label, n in counts.items() if n < MIN_PER_CLASS)
    if scarce:
        raise InputError(
            f"classifier {name!r}: label(s) {', '.join(scarce)} have fewer than {MIN_PER_CLASS} "
            "examples; add more (a few dozen per label works well)"
        )
    recipe = Recipe(algorithm="logistic", c=10.0, balanced=True)
    features = features_for(list(texts), DEFAULT_SPEC)
    y = np.asarray(labels)
    classes = tuple(sorted(counts))
    folds = min(MAX_FOLDS, min(counts.values()))
    oof_scores = np.zeros((len(y), len(classes)))
    for train_rows, test_rows in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(
        y, y
    ):
        head = _head(
            name, *fit_matrix(features[train_rows], y[train_rows], recipe, calibrate=False)
        )
        scores = head.scores(features[test_rows])
        for column, label in enumerate(head.classes):
            oof_scores[test_rows, classes.index(label)] = scores[:, column]
    predicted = np.array(classes)[oof_scores.argmax(axis=1)]
    precision, recall, _, support = precision_recall_fscore_support(
        y, predicted, labels=list(classes), zero_division=0
    )
    final = _head(name, *fit_matrix(features, y, recipe, calibrate=False))
    final.temperature = fit_temperature(oof_scores, np.searchsorted(classes, y))
    report = TrainingReport(
        name=name,
        path=directory / f"{name}.npz",
        folds=folds,
        accuracy=float((predicted == y).mean()),
        classes=tuple(
            ClassReport(label, int(n), float(p), float(r))
            for label, p, r, n in zip(classes, precision, recall, support, strict=True)
        ),
    )
    final.meta = {
        "report": {
            c.label: {"precision": c.precision, "recall": c.recall, "support": c.support}
            for c in report.classes
        },
        "accuracy": report.accuracy,
        "folds": folds,
    }
    directory.mkdir(parents=True, exist_ok=True)
    final.save(report.path)
    return report


def _head(
    name: str,
    columns: np.ndarray,
    classes: tuple[str, ...],
    weights: np.ndarray,
    bias: np.ndarray,
    temperature: float,
) -> LinearHead:
    return LinearHead(name, classes, columns, weights, bias, DEFAULT_SPEC, temperature)


class CustomClassifiers:
    """The classifiers saved in one folder, loaded on first use (and again when one changes)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._loaded: dict[str, tuple[float, LinearHead]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"directory": self.directory, "_loaded": {}}

    def names(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.npz") if NAME.match(p.stem))

    def get(self, name: str) -> LinearHead:
        path = self.directory / f"{name}.npz"
        if not NAME.match(name) or not path.is_file():
            raise NotFound(
                f"no custom classifier {name!r} in {self.directory}; train one with "
                f"`rapport train classifier {name} --labels FILE.csv`"
            )
        mtime = path.stat().st_mtime
        cached = self._loaded.get(name)
        if cached is None or cached[0] != mtime:
            cached = (mtime, LinearHead.load(path))
            self._loaded[name] = cached
        return cached[1]

    def predict(self, features: sp.csr_matrix) -> list[tuple[tuple[str, Label], ...]]:
        rows: list[list[tuple[str, Label]]] = [[] for _ in range(features.shape[0])]
        for name in self.names():
            for row, (label, score) in zip(rows, self.get(name).predict(features), strict=True):
                row.append((name, Label(label=label, score=round(score, 4))))
        return [tuple(row) for row in rows]
