"""The draft the writer proposes, the gate's verdict on it, and how a run ended."""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import Field

from sales_agent.domain._model import Frozen

__all__ = ["Draft", "GateResult", "GateStatus", "GateViolation", "Outcome"]


class Draft(Frozen):
    """The email the writer proposes."""

    to: tuple[str, ...]
    subject: str
    body: str


class GateStatus(enum.StrEnum):
    """The quality gate's verdict."""

    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"


class GateViolation(Frozen):
    """One failed or doubtful check."""

    check: str
    severity: Literal["error", "warning"]
    message: str


class GateResult(Frozen):
    """The quality gate's result for one draft."""

    status: GateStatus
    violations: tuple[GateViolation, ...] = ()
    reason: str = ""
    risk_score: int = Field(default=0, ge=0, le=100, description="Weighted risk, 0 to 100.")
    risk_factors: tuple[str, ...] = Field(default=(), description="Factors behind the score.")
    send_allowed: bool = Field(
        default=False, description="PASS/WARN, SEND_ALLOWED mode and no policy in the way."
    )
    approval_required: bool = Field(
        default=True, description="Always true: a person approves every send."
    )
    suggestions: tuple[str, ...] = Field(default=(), description="What to change, actionable.")


class Outcome(enum.StrEnum):
    """How a run ended."""

    APPROVED = "APPROVED"
    SENT = "SENT"
    """Approved and sent (SEND_ALLOWED, every re-check passed)."""
    EDITED = "EDITED"
    IGNORED = "IGNORED"
    REJECTED = "REJECTED"
    BLOCKED = "BLOCKED"
    """Policy stopped the run before a draft: kill switch, suppression or guardrails."""
    SUPPRESSED = "SUPPRESSED"
    """The lead asked to unsubscribe: suppressed, no draft."""
    NO_ACTION = "NO_ACTION"
    """The planner chose not to write (out of office, a plain no): nothing to approve."""
    SUPERSEDED = "SUPERSEDED"
    """A newer message arrived before approval; the pending draft was withdrawn."""
    HANDLED = "HANDLED"
    """The operator answered from Gmail; the pending draft was withdrawn."""
    EXPIRED = "EXPIRED"
    """Nobody decided within the approval window; the pending draft was withdrawn."""
