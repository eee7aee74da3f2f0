"""The classifier's packed weights: fitted on the packaged training file, predicting as fitted."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest

from sales_agent.nodes.offline import intent_model
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
