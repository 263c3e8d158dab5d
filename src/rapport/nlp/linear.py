"""A linear model head over the shared hashed features, stored as one small `.npz` file.

Only the hashed columns seen in training are kept (`columns`), with float16 weights, so a
head over a million-column feature space is a few megabytes. Probabilities are the
softmax of the scores divided by a temperature fitted on held-out data, which makes them
calibrated rather than merely ordered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from rapport.errors import ConfigError
from rapport.nlp.features import FeatureSpec

FULL_WIDTH_MAX = 4 << 20  # weights kept for every column up to 16 MB


@dataclass
class LinearHead:
    """Scores = X[:, columns] @ weights + bias; probabilities = softmax(scores / temperature)."""

    name: str
    classes: tuple[str, ...]
    columns: np.ndarray  # int32, sorted hashed column ids
    weights: np.ndarray  # float32 in memory, (len(columns), len(classes))
    bias: np.ndarray  # float32, (len(classes),)
    spec: FeatureSpec
    temperature: float = 1.0
    group_copies: bool = False
    fold_bits: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    _lookup: np.ndarray | None = field(default=None, repr=False)
    _full: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.weights.shape != (len(self.columns), len(self.classes)):
            raise ConfigError(
                f"model {self.name!r}: weights are {self.weights.shape}, expected "
                f"({len(self.columns)}, {len(self.classes)}); retrain it with `rapport train`"
            )

    @property
    def space_bits(self) -> int:
        """Bits of the column space the head was fitted in (features may be folded into it)."""
        return self.fold_bits or self.spec.bits

    @property
    def lookup(self) -> np.ndarray:
        if self._lookup is None:
            table = np.full(1 << self.space_bits, -1, dtype=np.int32)
            table[self.columns] = np.arange(len(self.columns), dtype=np.int32)
            self._lookup = table
        return self._lookup

    def scores(self, features: sp.csr_matrix) -> np.ndarray:
        scores: np.ndarray = self.margins(features) + self.bias
        return scores

    @property
    def full_width(self) -> np.ndarray | None:
        """Weights for every column of the space, when that is small enough to keep.

        Multiplying by them needs no remapping of the features, which is most of the cost
        of a head with few classes.
        """
        if self._full is None and (1 << self.space_bits) * len(self.classes) <= FULL_WIDTH_MAX:
            full = np.zeros((1 << self.space_bits, len(self.classes)), dtype=np.float32)
            full[self.columns] = self.weights
            self._full = full
        return self._full

    def margins(self, features: sp.csr_matrix) -> np.ndarray:
        """Scores without the bias (so partial feature sets can be added up)."""
        indices = features.indices
        if self.fold_bits is not None:
            indices = indices >> (self.spec.bits - self.fold_bits)
        full = self.full_width
        if full is not None:
            folded = sp.csr_matrix(
                (features.data, indices, features.indptr),
                shape=(features.shape[0], full.shape[0]),
            )
            direct: np.ndarray = np.asarray(folded @ full)
            return direct
        mapped = self.lookup[indices]
        kept = np.flatnonzero(mapped >= 0)
        # Entries kept before each row's start: where the row starts among the kept ones.
        indptr = np.searchsorted(kept, features.indptr)
        compact = sp.csr_matrix(
            (features.data[kept], mapped[kept], indptr),
            shape=(features.shape[0], len(self.columns)),
        )
        margins: np.ndarray = np.asarray(compact @ self.weights)
        return margins

    def probabilities(self, features: sp.csr_matrix) -> np.ndarray:
        return softmax(self.scores(features) / self.temperature)

    def predict(self, features: sp.csr_matrix) -> list[tuple[str, float]]:
        """(best class, its probability rounded to 4 places) per row."""
        probs = self.probabilities(features)
        best = probs.argmax(axis=1)
        chosen = np.round(probs[np.arange(len(best)), best], 4).tolist()
        classes = self.classes
        return [(classes[i], p) for i, p in zip(best.tolist(), chosen, strict=True)]

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            columns=self.columns.astype(np.int32),
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            header=np.array(json.dumps(self._header())),
        )

    def _header(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "classes": list(self.classes),
            "spec": vars(self.spec),
            "temperature": self.temperature,
            "group_copies": self.group_copies,
            "fold_bits": self.fold_bits,
            "meta": self.meta,
        }

    @classmethod
    def load(cls, path: Path) -> LinearHead:
        try:
            with np.load(path, allow_pickle=False) as data:
                header = json.loads(str(data["header"]))
                return cls(
                    name=header["name"],
                    classes=tuple(header["classes"]),
                    columns=data["columns"].astype(np.int32),
                    weights=data["weights"].astype(np.float32),
                    bias=data["bias"].astype(np.float32),
                    spec=FeatureSpec(**header["spec"]),
                    temperature=float(header["temperature"]),
                    group_copies=bool(header.get("group_copies", False)),
                    fold_bits=header.get("fold_bits"),
                    meta=header.get("meta", {}),
                )
        except (OSError, KeyError, ValueError, TypeError) as error:
            raise ConfigError(
                f"cannot load model file {path}: {error}; rebuild it with `rapport train`"
            ) from error


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted: np.ndarray = scores - scores.max(axis=1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=1, keepdims=True)
    return shifted
