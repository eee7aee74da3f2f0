"""`evals/thresholds.toml`: the `[gate]` CI enforces and the `[targets]` the report shows.

    [gate.pass_rate]        # evaluator name -> lowest pass rate that passes CI
    "hard.one_cta" = 1.0
    [gate.recall]           # intent -> lowest recall that passes CI
    [targets.pass_rate]     # what the judgment work aims for (reported, not enforced)
    "expect.intent" = 0.95
    [targets.recall]
    unsubscribe = 1.0

A threshold on an evaluator that applied to no case (or an intent no case had) is not
checked: there is nothing to measure.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sales_agent.errors import SalesAgentError
from sales_agent.evals.summary import Summary

__all__ = ["Bounds", "Miss", "Thresholds", "check", "load_thresholds"]


@dataclass(frozen=True)
class Bounds:
    """Lowest acceptable pass rates per evaluator and recalls per intent."""

    pass_rate: dict[str, float] = field(default_factory=dict)
    recall: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Thresholds:
    """The gate (enforced) and the targets (reported)."""

    gate: Bounds = field(default_factory=Bounds)
    targets: Bounds = field(default_factory=Bounds)


@dataclass(frozen=True)
class Miss:
    """A threshold the run did not reach."""

    metric: str
    measured: float
    wanted: float

    def __str__(self) -> str:
        return f"{self.metric}: {self.measured:.3f} < {self.wanted:.3f}"


def _bounds(data: object, where: str) -> Bounds:
    if not isinstance(data, dict):
        return Bounds()
    out: dict[str, dict[str, float]] = {"pass_rate": {}, "recall": {}}
    for kind in out:
        table = data.get(kind, {})
        if not isinstance(table, dict):
            raise SalesAgentError(f"{where}.{kind} must be a table of name = number")
        for name, value in table.items():
            if not isinstance(value, int | float) or not 0 <= value <= 1:
                raise SalesAgentError(f"{where}.{kind}.{name} must be a number from 0 to 1")
            out[kind][str(name)] = float(value)
    return Bounds(pass_rate=out["pass_rate"], recall=out["recall"])


def load_thresholds(path: Path) -> Thresholds:
    """Read the thresholds file; a clear error when it is missing or malformed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SalesAgentError(f"no thresholds at {path}: pass --thresholds FILE") from None
    except tomllib.TOMLDecodeError as exc:
        raise SalesAgentError(f"{path}: not valid TOML: {exc}") from None
    return Thresholds(
        gate=_bounds(data.get("gate"), "gate"), targets=_bounds(data.get("targets"), "targets")
    )


def check(summary: Summary, bounds: Bounds) -> list[Miss]:
    """The thresholds of `bounds` that `summary` misses (those it cannot measure are skipped)."""
    misses = []
    for name, wanted in bounds.pass_rate.items():
        measured = summary.rate(name)
        if measured is not None and measured < wanted:
            misses.append(Miss(name, measured, wanted))
    for intent, wanted in bounds.recall.items():
        measured = summary.recall(intent)
        if measured is not None and measured < wanted:
            misses.append(Miss(f"recall {intent}", measured, wanted))
    return misses
