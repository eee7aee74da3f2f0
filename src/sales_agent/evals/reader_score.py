"""How well the offline reader reads labelled replies: intent accuracy, recall and precision.

A fast measure beside the eval suite (no graph runs, no database): the reader alone over a
dataset's inbound lines. On `dev` the classifier was trained on the same lines, so `dev` is
scored by cross-validation: each fold is read by a classifier trained on the other folds
(the rules are the same for all). `test` is read by the packaged classifier and reported in
aggregate only, never line by line, so nothing is tuned on it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sales_agent.nodes.offline.intent_model import classifier_text, train
from sales_agent.nodes.offline.labelled import LabelledReply
from sales_agent.nodes.offline.reader import detect_intent

__all__ = ["IntentScore", "ReaderScore", "cross_validated", "score_reader"]


@dataclass(frozen=True)
class IntentScore:
    """One intent's support (labelled lines), recall and precision."""

    intent: str
    support: int
    recall: float
    precision: float


@dataclass(frozen=True)
class ReaderScore:
    """The reader's accuracy over a set of lines, and each intent's figures."""

    lines: int
    accuracy: float
    intents: tuple[IntentScore, ...]
    confusions: tuple[tuple[str, str, int], ...]
    """(labelled, read, count) for the misreadings, most frequent first."""


def _scored(pairs: Sequence[tuple[str, str]]) -> ReaderScore:
    """Figures from (labelled, read) pairs."""
    labelled = Counter(label for label, _ in pairs)
    read = Counter(guess for _, guess in pairs)
    right = Counter(label for label, guess in pairs if label == guess)
    intents = tuple(
        IntentScore(
            intent=intent,
            support=labelled[intent],
            recall=right[intent] / labelled[intent],
            precision=right[intent] / read[intent] if read[intent] else 0.0,
        )
        for intent in sorted(labelled)
    )
    wrong = Counter((label, guess) for label, guess in pairs if label != guess)
    return ReaderScore(
        lines=len(pairs),
        accuracy=sum(right.values()) / len(pairs) if pairs else 0.0,
        intents=intents,
        confusions=tuple((a, b, n) for (a, b), n in wrong.most_common()),
    )


def score_reader(replies: Sequence[LabelledReply]) -> ReaderScore:
    """The packaged reader's figures over `replies`."""
    return _scored(
        [(r.intent, detect_intent(r.text, subject=r.subject, sender=r.sender)[0]) for r in replies]
    )


def cross_validated(replies: Sequence[LabelledReply], *, folds: int) -> ReaderScore:
    """The reader's figures when each line is read by a classifier that never saw it.

    Lines are dealt to folds in order (line i to fold i % folds): deterministic, and each
    fold holds every intent in proportion because the datasets list lines by intent.
    """
    pairs: list[tuple[str, str]] = []
    for fold in range(folds):
        held = [r for i, r in enumerate(replies) if i % folds == fold]
        trained_on = [
            (classifier_text(r.text, subject=r.subject), r.intent)
            for i, r in enumerate(replies)
            if i % folds != fold
        ]
        model = train(trained_on)
        pairs += [
            (r.intent, detect_intent(r.text, subject=r.subject, sender=r.sender, model=model)[0])
            for r in held
        ]
    return _scored(pairs)
