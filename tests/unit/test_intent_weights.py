"""The classifier's packed weights: fitted on the packaged training file, predicting as fitted."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest

from sales_agent.nodes.offline import intent_model
from sales_agent.nodes.offline.intent_heads import combine_heads
from sales_agent.nodes.offline.intent_model import (
    TRAINING_FILE,
    packaged_model,
    train,
    training_examples,
)
from sales_agent.nodes.offline.intent_rules import normalise
from sales_agent.nodes.offline.intent_weights import PackedModel, pack_model, training_digest


def test_the_packaged_weights_were_fitted_on_the_packaged_training_file() -> None:
    training = (files(intent_model.__package__) / TRAINING_FILE).read_text(encoding="utf-8")
    assert packaged_model().digest == training_digest(training), (
        "reader_model.npz is stale: run `sales-agent reader build`"
    )


def test_packed_weights_predict_what_the_fitted_pipeline_predicts(tmp_path: Path) -> None:
    examples = training_examples()[::8]  # every intent, a fit of a few seconds
    fitted = train(examples)
    path = tmp_path / "weights.npz"
    pack_model(fitted, digest="d", output=path)
    packed = PackedModel.load(path)
    texts = [normalise(text) for text, _ in training_examples()[1::17]]
    assert list(packed.classes_) == list(fitted.classes_)
    assert np.abs(packed.predict_proba(texts) - fitted.predict_proba(texts)).max() < 1e-5
    assert packed.digest == "d"


def test_a_process_reads_the_weights_without_fitting(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fit(examples: object) -> None:
        raise AssertionError("the packaged reader must not fit at run time")

    monkeypatch.setattr(intent_model, "train", no_fit)
    monkeypatch.setattr(intent_model, "_model", None)
    guess = intent_model.classify("Could you send over the case study you mentioned?")
    assert guess.intent == "asset_request"


def test_the_regression_speaks_for_the_ruled_intents_and_the_svm_shares_the_rest() -> None:
    regression = np.array([[2.0, 0.0, 1.0, -1.0]])
    margins = np.array([[-5.0, 0.8, -0.2, 0.3]])
    ruled = np.array([True, False, False, False])
    combined = combine_heads(regression, margins, ruled, sharpness=5.0)
    by_regression = np.exp(regression) / np.exp(regression).sum()
    assert combined[0, 0] == pytest.approx(by_regression[0, 0])
    assert combined[0, 1:].sum() == pytest.approx(by_regression[0, 1:].sum())
    # The SVM's order among the others, whatever the regression's: column 1, then 3, then 2.
    assert list(np.argsort(-combined[0, 1:])) == [0, 2, 1]
    assert by_regression[0, 2] > by_regression[0, 1]
