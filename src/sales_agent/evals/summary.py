"""Aggregates over scored cases.

Pass rates per evaluator, the intent confusion matrix, and the recall and precision of the
safety-critical intents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sales_agent.evals.labels import SAFETY_INTENTS, canonical_intent
from sales_agent.evals.runner import ScoredCase

__all__ = ["IntentStats", "PassRate", "Summary", "summarise"]


@dataclass(frozen=True)
class PassRate:
    """One evaluator over a set of cases; not-applicable cases are counted apart."""

    name: str
    passed: int
    failed: int
    not_applicable: int

    @property
    def applicable(self) -> int:
        """Cases the evaluator applied to."""
        return self.passed + self.failed

    @property
    def rate(self) -> float | None:
        """Passed / applicable; None when it applied to nothing."""
        return self.passed / self.applicable if self.applicable else None


@dataclass(frozen=True)
class IntentStats:
    """Recall and precision of one intent among the cases labelled with an intent."""

    intent: str
    support: int
    predicted: int
    correct: int

    @property
    def recall(self) -> float | None:
        """Of the messages with this intent, the share read as it."""
        return self.correct / self.support if self.support else None

    @property
    def precision(self) -> float | None:
        """Of the messages read as this intent, the share that had it."""
        return self.correct / self.predicted if self.predicted else None


@dataclass
class Summary:
    """Everything the report and the thresholds need from a set of scored cases."""

    cases: int = 0
    rates: dict[str, PassRate] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    intents: dict[str, IntentStats] = field(default_factory=dict)
    failures: list[tuple[ScoredCase, str, str]] = field(default_factory=list)
    """(case, evaluator, reason) for every failed verdict."""

    def rate(self, name: str) -> float | None:
        """The pass rate of an evaluator, None when unknown or never applicable."""
        found = self.rates.get(name)
        return found.rate if found else None

    def recall(self, intent: str) -> float | None:
        """The recall of an intent, None when no case had it."""
        found = self.intents.get(intent)
        return found.recall if found else None

    def precision(self, intent: str) -> float | None:
        """The precision of an intent, None when nothing was read as it."""
        found = self.intents.get(intent)
        return found.precision if found else None


def _intents(confusion: Counter[tuple[str, str]]) -> dict[str, IntentStats]:
    labels = sorted({label for pair in confusion for label in pair} | set(SAFETY_INTENTS))
    stats = {}
    for label in labels:
        support = sum(n for (expected, _), n in confusion.items() if expected == label)
        predicted = sum(n for (_, actual), n in confusion.items() if actual == label)
        stats[label] = IntentStats(label, support, predicted, confusion[(label, label)])
    return stats


def summarise(cases: Sequence[ScoredCase]) -> Summary:
    """Pass rates, confusion, intent stats and failures over `cases`."""
    summary = Summary(cases=len(cases))
    counts: dict[str, Counter[str]] = {}
    for case in cases:
        for verdict in case.verdicts:
            counts.setdefault(verdict.name, Counter())[verdict.status] += 1
            if verdict.failed:
                summary.failures.append((case, verdict.name, verdict.reason))
        expected = case.trace.expect.get("intent")
        if expected:
            actual = canonical_intent(case.trace.outputs.intent) or "(none)"
            summary.confusion[(expected, actual)] += 1
    summary.rates = {
        name: PassRate(name, c["pass"], c["fail"], c["na"]) for name, c in counts.items()
    }
    summary.intents = _intents(summary.confusion)
    return summary
