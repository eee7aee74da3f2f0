"""The offline reader's classifier: intents from character and word n-grams, in any language.

Two linear heads over TF-IDF character 2-5-grams and word 1-2-grams (scikit-learn's logistic
regression for the safety backstop's probabilities, a linear SVM to choose among the other
intents: see `intent_heads`) trained only on the `dev` split of the labelled replies, which
`sales-agent reader build` copies into the package (`reader_training.jsonl`). Character
n-grams carry across the seven languages and their inflections where a word list would not.
`reader build` also fits it and packs its weights (`reader_model.npz`, see
`intent_weights`); a process reads those on first use and never fits, and the same text
always gets the same reading. The safety-critical intents are decided by rules before it
runs; the classifier knows them too, as a backstop for phrasings no rule has (`classify`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from sales_agent.nodes.offline.intent_heads import TwoHeadClassifier
from sales_agent.nodes.offline.intent_rules import RULED_INTENTS, is_reply, normalise
from sales_agent.nodes.offline.intent_weights import (
    VECTORISERS,
    CueFeatures,
    PackedModel,
    pack_model,
    training_digest,
)
from sales_agent.nodes.offline.labelled import labelled_replies

__all__ = [
    "MODEL_FILE",
    "TRAINING_FILE",
    "IntentGuess",
    "build_model_file",
    "build_training_file",
    "classifier_text",
    "classify",
    "packaged_model",
    "probabilities",
    "train",
    "training_examples",
]

TRAINING_FILE = "reader_training.jsonl"
MODEL_FILE = "reader_model.npz"
"""The classifier's weights fitted on `TRAINING_FILE` (`sales-agent reader build` writes both)."""
BACKSTOP_AT = 0.5
"""The classifier reads a safety-critical intent no rule found only at even odds or better.

Below that, a short or foreign reply ('no grazie, siamo a posto') would too often be read as
an unsubscribe: its nearest examples are the many short, multilingual opt-outs. Chosen on
`replies_extra2.jsonl` before it was trained on: 4 replies read right, 1 read wrong."""
CUE_WEIGHT = 3.0
"""How much a cue family counts beside the n-grams (tuned by cross-validation on `dev`)."""

REGULARISATION = 600.0
"""The logistic regression's C: little regularisation, chosen on `dev` alone, file by file.

Each dev file was read by a classifier trained on the others (another writer's lines, as an
unseen reply is), then all 1,910 scored (before `replies_extra7.jsonl` was written): C 20
read 0.837 of them right, 60 0.847, 200 0.853, 600 0.860 with the fewest safety-critical
misses (4), 2,000 0.862 with 6 of them."""

_REPLY_MARK = "inreplytous"
_lock = threading.Lock()
_model: PackedModel | None = None


@dataclass(frozen=True)
class IntentGuess:
    """The classifier's best intent and its probability; and how likely a plain no is."""

    intent: str
    probability: float
    declined: float = 0.0
    """`not_interested`'s probability, on the same scale as `probability`."""


def training_examples(path: Path | None = None) -> list[tuple[str, str]]:
    """(text, intent) pairs: the packaged training file, or `path`."""
    source = path.read_text(encoding="utf-8") if path else _packaged()
    rows = [json.loads(line) for line in source.splitlines() if line.strip()]
    return [(str(row["text"]), str(row["intent"])) for row in rows]


def build_training_file(datasets: Sequence[Path], output: Path) -> int:
    """Write the `dev` lines of labelled replies datasets as training examples; their count.

    Only `dev` is ever read: the `test` split measures the reader and must stay unseen.
    """
    lines = [
        json.dumps(
            {"text": classifier_text(reply.text, subject=reply.subject), "intent": reply.intent},
            ensure_ascii=False,
        )
        for reply in labelled_replies(datasets, split="dev")
    ]
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def classifier_text(text: str, *, subject: str) -> str:
    """What the classifier reads, in training and in a run: the message, after its topic.

    A reply's subject is ours ("Re: Following up on late orders"): its words say nothing of
    what the lead wants, and a classifier that learned them took a yes under our "Following
    up" for a complaint about follow-ups. So a reply is marked by one word instead of its
    subject (the prefixes `Re:`, `AW:`, `RV:`... differ by mail client and language); the
    subject of fresh mail is the sender's own, and is read.
    """
    if is_reply(subject):
        # Whether it answers us at all is a signal: one made-up word for every prefix.
        return f"{_REPLY_MARK}\n{text}"
    topic = subject.strip()
    return f"{topic}\n{text}" if topic else text


def _packaged() -> str:
    return (files(__package__) / TRAINING_FILE).read_text(encoding="utf-8")


def _pipeline() -> Pipeline:
    features = FeatureUnion(
        [
            *((name, TfidfVectorizer(**settings)) for name, settings in VECTORISERS.items()),
            ("cues", CueFeatures()),
        ],
        transformer_weights={"chars": 1.0, "words": 1.0, "cues": CUE_WEIGHT},
    )
    classifier = TwoHeadClassifier(ruled=RULED_INTENTS, regularisation=REGULARISATION)
    return Pipeline([("features", features), ("classifier", classifier)])


def train(examples: list[tuple[str, str]]) -> Pipeline:
    """A fitted classifier for `examples` (texts are normalised first, as at prediction)."""
    model = _pipeline()
    model.fit([normalise(text) for text, _ in examples], [intent for _, intent in examples])
    return model


def build_model_file(training: Path, output: Path) -> None:
    """Fit the classifier on the training file and pack its weights into `output`."""
    text = training.read_text(encoding="utf-8")
    model = train(training_examples(training))
    pack_model(model, digest=training_digest(text), output=output)


def packaged_model() -> PackedModel:
    """The packaged classifier's weights, read once per process (never fitted at run time)."""
    global _model
    with _lock:
        if _model is None:
            with as_file(files(__package__) / MODEL_FILE) as path:
                _model = PackedModel.load(path)
        return _model


def classify(
    text: str,
    model: Pipeline | PackedModel | None = None,
    *,
    ruled_out: Collection[str] = (),
) -> IntentGuess:
    """The most probable intent of `text` (the packaged model unless `model` is given).

    A safety-critical intent only at `BACKSTOP_AT` or above; otherwise the most probable of
    the others, its probability taken among them. Intents in `ruled_out` (what the CRM
    already contradicts) are never the guess.
    """
    allowed = {
        intent: p for intent, p in probabilities(text, model).items() if intent not in ruled_out
    }
    ruled = {intent: p for intent, p in allowed.items() if intent in RULED_INTENTS}
    safest = max(ruled, key=ruled.__getitem__, default=None)
    if safest is not None and ruled[safest] >= BACKSTOP_AT:
        return IntentGuess(safest, ruled[safest])
    others = {intent: p for intent, p in allowed.items() if intent not in RULED_INTENTS}
    best = max(others, key=others.__getitem__)
    total = sum(others.values())
    return IntentGuess(best, others[best] / total, others.get("not_interested", 0.0) / total)


def probabilities(text: str, model: Pipeline | PackedModel | None = None) -> dict[str, float]:
    """Every intent's probability for `text` (the packaged model unless `model` is given)."""
    fitted = model or packaged_model()
    row = fitted.predict_proba([normalise(text)])[0]
    return dict(zip(map(str, fitted.classes_), map(float, row), strict=True))
