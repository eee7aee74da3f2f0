"""The intent classifier's two linear heads over one feature space, and how they combine.

A logistic regression gives probabilities, which the safety backstop needs: it reads a
safety-critical intent no rule found only at even odds or better (`intent_model`). But among
the other intents a linear SVM chooses better on replies from writers it never saw: read file
by file on `dev` (each of 16 files by a model trained on the other 15, the rules in front),
the regression alone read 0.923 of 3,947 replies right and the SVM choosing among the
non-safety intents 0.939, with the same safety-critical misses (12) and false alarms (22).

So the regression's probabilities stand for the safety-critical intents, and the rest of its
mass is shared among the others by a softmax of the SVM's margins (`MARGIN_SHARPNESS`). The
result is one distribution, read as before (`classify`): the backstop, the best of the
others, `unclear` below a threshold, and how likely a plain no is.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import spmatrix
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

__all__ = ["MARGIN_SHARPNESS", "SVM_REGULARISATION", "TwoHeadClassifier", "combine_heads"]

SVM_REGULARISATION = 3.0
"""The SVM's C. Read file by file on `dev` as above: C 0.3 read 0.916, 1 0.934, 3 0.939,
10 0.938, 30 0.938 (at the same sharpness): flat from 3 on, so the most regularised of those."""
MARGIN_SHARPNESS = 5.0
"""How sharply the SVM's margins become shares: softmax(sharpness x margin). 1 left most
replies `unclear` (0.817); 3 read 0.937, 5 0.939, 10 0.940 with more pitches to a no."""


def combine_heads(
    regression_scores: NDArray[np.float64],
    margins: NDArray[np.float64],
    ruled: NDArray[np.bool_],
    sharpness: float,
) -> NDArray[np.float64]:
    """One probability row per text.

    The regression's probabilities in the `ruled` columns; the rest of each row's mass shared
    among the other columns by the SVM's margins.
    """
    probabilities = _softmax(_per_class(regression_scores))
    others = ~ruled
    mass = probabilities[:, others].sum(axis=1, keepdims=True)
    probabilities[:, others] = _softmax(sharpness * _per_class(margins)[:, others]) * mass
    return probabilities


def _per_class(scores: NDArray[np.float64]) -> NDArray[np.float64]:
    """A column per class: a two-class model scores the second class only, one column."""
    column = scores.reshape(len(scores), -1)
    if column.shape[1] > 1:
        return column
    # Softmax is unchanged by a shift, so (-s/2, s/2) gives the second class sigmoid(s).
    return np.hstack([-column / 2, column / 2])


def _softmax(scores: NDArray[np.float64]) -> NDArray[np.float64]:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    shares: NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
    return shares


class TwoHeadClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """A regression and an SVM fitted on the same rows; `predict_proba` per `combine_heads`."""

    def __init__(
        self,
        ruled: Collection[str] = (),
        regularisation: float = 1.0,
        svm_regularisation: float = SVM_REGULARISATION,
        sharpness: float = MARGIN_SHARPNESS,
    ) -> None:
        self.ruled = ruled
        self.regularisation = regularisation
        self.svm_regularisation = svm_regularisation
        self.sharpness = sharpness

    def fit(self, features: spmatrix, labels: list[str]) -> TwoHeadClassifier:
        """Fit both heads; classes are balanced in both (rare intents count as much)."""
        self.regression_ = LogisticRegression(
            C=self.regularisation, max_iter=5000, class_weight="balanced"
        ).fit(features, labels)
        self.svm_ = LinearSVC(
            C=self.svm_regularisation, max_iter=5000, class_weight="balanced"
        ).fit(features, labels)
        self.classes_ = self.regression_.classes_
        return self

    def predict_proba(self, features: spmatrix) -> NDArray[np.float64]:
        """One probability row per feature row, in `classes_` order."""
        ruled = np.isin(self.classes_, list(self.ruled))
        return combine_heads(
            self.regression_.decision_function(features),
            self.svm_.decision_function(features),
            ruled,
            self.sharpness,
        )
