"""The intent classifier's learned weights, packed into one file and read back without fitting.

Fitting the classifier (n-grams of 1,600 replies, a 17-class logistic regression) took 40 s
and peaked at 850 MB in whichever process read its first reply: a worker's first lead
waited, and its memory peak was the fit's. `sales-agent reader build` fits it once and packs
what prediction needs (each vectoriser's vocabulary and idf, the coefficients) with NumPy
(no pickle: the file holds arrays only); a process reads that in a fraction of a second.
Prediction is the same arithmetic the fitted pipeline does: tf-idf rows of the normalised
text, weighted and stacked with the cue columns, then a softmax of the linear scores.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, hstack
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from sales_agent.nodes.offline.intent_cues import CUE_FAMILIES
from sales_agent.nodes.offline.intent_heads import combine_heads
from sales_agent.nodes.offline.intent_rules import RULED_INTENTS

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

__all__ = ["VECTORISERS", "CueFeatures", "PackedModel", "pack_model", "training_digest"]

VECTORISERS: dict[str, dict[str, Any]] = {
    "chars": {"analyzer": "char_wb", "ngram_range": (2, 5), "sublinear_tf": True, "min_df": 2},
    "words": {"analyzer": "word", "ngram_range": (1, 2), "sublinear_tf": True, "min_df": 2},
}
"""The classifier's two n-gram vectorisers, as fitted (`intent_model`) and as read back.

Only n-grams seen in two training replies or more: one writer's one-off phrasing teaches
nothing about the next writer's. Read file by file on `dev` (each by a classifier trained on
the others), that read 0.899 of 2,721 replies right against 0.893 with every n-gram, from
73,000 features instead of 164,000 (a smaller model in every process's memory)."""
_VECTORISERS = tuple(VECTORISERS)
_TERM_SEPARATOR = "\x00"


class CueFeatures(BaseEstimator, TransformerMixin):  # type: ignore[misc]
    """One column per cue family: 1.0 when the (normalised) text uses it."""

    def fit(self, texts: list[str], labels: object = None) -> CueFeatures:
        """Nothing to learn: the families are fixed."""
        return self

    def transform(self, texts: list[str]) -> csr_matrix:
        """The family indicators of each text."""
        rows: NDArray[np.float64] = np.array(
            [
                [1.0 if family.search(text) else 0.0 for family in CUE_FAMILIES.values()]
                for text in texts
            ]
        )
        return csr_matrix(rows)


def training_digest(training_text: str) -> str:
    """The SHA-256 of the training file the weights were fitted on."""
    return hashlib.sha256(training_text.encode("utf-8")).hexdigest()


def pack_model(model: Pipeline, *, digest: str, output: Path) -> None:
    """Write a fitted pipeline's weights to `output` (a .npz of plain arrays)."""
    union = model.named_steps["features"]
    parts = dict(union.transformer_list)
    arrays: dict[str, Any] = {}
    for name in _VECTORISERS:
        vectoriser: TfidfVectorizer = parts[name]
        terms = sorted(vectoriser.vocabulary_, key=vectoriser.vocabulary_.__getitem__)
        # One UTF-8 buffer, terms apart by NUL (no n-gram holds one): a fixed-width string
        # array pads every term to the longest (67,000 word n-grams took 15 MB that way).
        arrays[f"{name}_terms"] = np.frombuffer(_TERM_SEPARATOR.join(terms).encode(), np.uint8)
        arrays[f"{name}_idf"] = vectoriser.idf_.astype(np.float32)
    weights = union.transformer_weights
    arrays["weights"] = np.array([weights[name] for name in (*_VECTORISERS, "cues")])
    classifier = model.named_steps["classifier"]
    arrays["classes"] = np.array(classifier.classes_, dtype=str)
    for head, fitted in (("regression", classifier.regression_), ("svm", classifier.svm_)):
        arrays[f"{head}_coef"] = fitted.coef_.astype(np.float32)
        arrays[f"{head}_intercept"] = fitted.intercept_.astype(np.float32)
    arrays["sharpness"] = np.array(classifier.sharpness)
    arrays["digest"] = np.array(digest)
    with output.open("wb") as handle:
        np.savez_compressed(handle, **arrays)


@dataclass(frozen=True)
class PackedModel:
    """Prediction from packed weights: `predict_proba` and `classes_` as a fitted pipeline."""

    classes_: NDArray[np.str_]
    digest: str
    _vectorisers: tuple[TfidfVectorizer, ...]
    _weights: NDArray[np.float64]
    _heads: tuple[_Head, _Head]  # the regression's, the SVM's
    _sharpness: float
    _ruled: NDArray[np.bool_]  # the columns of the intents the rules decide

    @classmethod
    def load(cls, path: Path) -> PackedModel:
        """Read the weights `pack_model` wrote."""
        with np.load(path, allow_pickle=False) as data:
            vectorisers = tuple(_vectoriser(data, name) for name in _VECTORISERS)
            return cls(
                classes_=data["classes"],
                digest=str(data["digest"]),
                _vectorisers=vectorisers,
                _weights=data["weights"],
                _heads=(_head(data, "regression"), _head(data, "svm")),
                _sharpness=float(data["sharpness"]),
                _ruled=np.isin(data["classes"], list(RULED_INTENTS)),
            )

    def predict_proba(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """One row of class probabilities per (normalised) text, in `classes_` order."""
        *vectoriser_weights, cue_weight = self._weights
        columns = [
            weight * vectoriser.transform(texts)
            for weight, vectoriser in zip(vectoriser_weights, self._vectorisers, strict=True)
        ]
        columns.append(cue_weight * CueFeatures().transform(list(texts)))
        features = csr_matrix(hstack(columns))
        regression, margins = (head.scores(features) for head in self._heads)
        return combine_heads(regression, margins, self._ruled, self._sharpness)


@dataclass(frozen=True)
class _Head:
    """One linear head's weights: a score per class is `features @ coef.T + intercept`."""

    coef: NDArray[np.float32]
    intercept: NDArray[np.float32]

    def scores(self, features: csr_matrix) -> NDArray[np.float64]:
        linear: NDArray[np.float64] = (
            np.asarray(features @ self.coef.T, np.float64) + self.intercept
        )
        return linear


def _head(data: np.lib.npyio.NpzFile, name: str) -> _Head:
    return _Head(data[f"{name}_coef"], data[f"{name}_intercept"])


def _vectoriser(data: np.lib.npyio.NpzFile, name: str) -> TfidfVectorizer:
    terms = data[f"{name}_terms"].tobytes().decode().split(_TERM_SEPARATOR)
    vocabulary = {term: index for index, term in enumerate(terms)}
    vectoriser = TfidfVectorizer(**VECTORISERS[name], vocabulary=vocabulary, dtype=np.float32)
    vectoriser.idf_ = data[f"{name}_idf"]
    return vectoriser
