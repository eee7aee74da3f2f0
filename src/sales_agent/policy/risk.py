"""The risk score of a draft: weighted factors, each counted once, capped at 100.

Weights come from `Settings.risk_weights` so an operator can tune how much each kind of
problem counts; the gate reports the score and the factors behind it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

__all__ = ["MAX_RISK", "RISK_FACTORS", "RiskFactor", "RiskScore", "missing_weights", "risk_score"]

RiskFactor = Literal[
    "pii_leak",
    "confidential_content",
    "prompt_injection",
    "guardrail_violation",
    "bounced_contact",
    "forbidden_words",
    "tone_mismatch",
]
RISK_FACTORS: tuple[RiskFactor, ...] = get_args(RiskFactor)
MAX_RISK = 100


class RiskScore(BaseModel):
    """A score from 0 to 100 and the factors that made it, in the order of RISK_FACTORS."""

    model_config = ConfigDict(frozen=True)

    score: int
    factors: tuple[RiskFactor, ...] = ()


def missing_weights(weights: Mapping[str, int]) -> list[str]:
    """Factors without a weight (a configuration that would silently score them 0)."""
    return [factor for factor in RISK_FACTORS if factor not in weights]


def risk_score(factors: Iterable[RiskFactor], weights: Mapping[str, int]) -> RiskScore:
    """Sum the weight of each factor present (once, however often it occurred), cap at 100."""
    present = set(factors)
    ordered = tuple(factor for factor in RISK_FACTORS if factor in present)
    total = sum(max(0, weights.get(factor, 0)) for factor in ordered)
    return RiskScore(score=min(MAX_RISK, total), factors=ordered)
