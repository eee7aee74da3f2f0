"""One check's outcome inside the gate: the violation plus what to do and what it risks."""

from __future__ import annotations

from typing import Literal, NamedTuple

from sales_agent.policy.risk import RiskFactor

__all__ = ["Finding"]


class Finding(NamedTuple):
    """A failed or doubtful check; becomes a GateViolation, a suggestion and a risk factor."""

    check: str
    severity: Literal["error", "warning"]
    message: str
    suggestion: str | None = None
    factor: RiskFactor | None = None
