"""Fitting a calibrated `LinearHead`: compact the hashed columns, fit, fit a temperature, refit.

The temperature is fitted on a held-out tenth of the training data (never on a
validation split), then the model is refitted on everything with the same settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar

from rapport.nlp.features import FeatureSpec, fold
from rapport.nlp.linear import LinearHead, softmax

SEED = 13
Algorithm = Literal["svm", "logistic", "sgd"]


@dataclass(frozen=True)
class Recipe:
    """How one head is fitted."""

    algorithm: Algorithm = "svm"
    c: float = 0.5  # C for svm and logistic; alpha for sgd
    balanced: bool = True
    min_df: int = 1
    idf: bool = False


def compact(matrix: sp.csr_matrix, min_df: int) -> tuple[np.ndarray, sp.csr_matrix, np.ndarray]:
    """(kept columns, matrix over them, document frequency of each kept column)."""
    binary = sp.csr_matrix(
        (np.ones_like(matrix.data), matrix.indices.copy(), matrix.indptr.copy()), shape=matrix.shape
    )
    binary.sum_duplicates()
    binary.data[:] = 1
    df = np.bincount(binary.indices, minlength=matrix.shape[1])
    columns = np.flatnonzero(df >= min_df).astype(np.int32)
    return columns, sp.csr_matrix(matrix[:, columns]), df[columns]


def _estimator(recipe: Recipe) -> Any:
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.svm import LinearSVC

    weights = "balanced" if recipe.balanced else None
    if recipe.algorithm == "svm":
        return LinearSVC(C=recipe.c, class_weight=weights, random_state=SEED, max_iter=2000)
    if recipe.algorithm == "sgd":
        return SGDClassifier(
            loss="hinge",
            alpha=recipe.c,
            max_iter=15,
            tol=None,
            random_state=SEED,
            class_weight=weights,
        )
    return LogisticRegression(C=recipe.c, class_weight=weights, random_state=SEED, max_iter=1000)


def _scores(model: Any, matrix: sp.csr_matrix) -> np.ndarray:
    raw = np.asarray(model.decision_function(matrix), dtype=np.float64)
    if raw.ndim == 1:
        raw = np.column_stack([-raw / 2, raw / 2])
    return raw


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood of the true classes."""

    def loss(log_t: float) -> float:
        probs = softmax(scores / np.exp(log_t))
        return float(-np.log(np.maximum(probs[np.arange(len(truth)), truth], 1e-12)).mean())

    found = minimize_scalar(loss, bounds=(-4.0, 4.0), method="bounded")
    return float(np.exp(found.x))


def fit_matrix(
    matrix: sp.csr_matrix,
    labels: Sequence[str] | np.ndarray,
    recipe: Recipe,
    *,
    calibrate: bool = True,
) -> tuple[np.ndarray, tuple[str, ...], np.ndarray, np.ndarray, float]:
    """(columns, classes, weights (columns x classes), bias, temperature) fitted on a matrix."""
    from sklearn.model_selection import train_test_split

    y = np.asarray(labels)
    columns, compacted, df = compact(matrix, recipe.min_df)
    scale = np.log((1 + matrix.shape[0]) / (1 + df)).astype(np.float32) + 1 if recipe.idf else None
    if scale is not None:
        compacted = sp.csr_matrix(compacted @ sp.diags(scale))
    temperature = 1.0
    if calibrate:
        fit_rows, held_rows = train_test_split(
            np.arange(len(y)), test_size=0.1, random_state=SEED, stratify=_stratify(y)
        )
        trial = _estimator(recipe).fit(compacted[fit_rows], y[fit_rows])
        truth = np.searchsorted(trial.classes_, y[held_rows])
        temperature = fit_temperature(_scores(trial, compacted[held_rows]), truth)
    model = _estimator(recipe).fit(compacted, y)
    coef = np.asarray(model.coef_, dtype=np.float32)
    intercept = np.asarray(model.intercept_, dtype=np.float32).ravel()
    if coef.shape[0] == 1:
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2], dtype=np.float32)
    if scale is not None:
        coef = coef * scale
    keep = np.abs(coef).max(axis=0) > 1e-7
    classes = tuple(str(c) for c in model.classes_)
    return columns[keep], classes, np.ascontiguousarray(coef[:, keep].T), intercept, temperature


def _stratify(y: np.ndarray) -> np.ndarray | None:
    _, counts = np.unique(y, return_counts=True)
    return y if counts.min() >= 2 else None


def fit_head(
    name: str,
    matrix: sp.csr_matrix,
    labels: Sequence[str],
    recipe: Recipe,
    spec: FeatureSpec,
    *,
    group_copies: bool = False,
    fold_bits: int | None = None,
    meta: dict[str, Any] | None = None,
) -> LinearHead:
    if fold_bits is not None:
        matrix = fold(matrix, fold_bits)
    columns, classes, weights, bias, temperature = fit_matrix(matrix, labels, recipe)
    return LinearHead(
        name=name,
        classes=classes,
        columns=columns,
        weights=weights,
        bias=bias,
        spec=spec,
        temperature=temperature,
        group_copies=group_copies,
        fold_bits=fold_bits,
        meta={"recipe": vars(recipe), **(meta or {})},
    )
