"""An evaluator's verdict on one trace: pass, fail, or not applicable, always with a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from sales_agent.evals.trace import Trace

__all__ = ["Evaluator", "Status", "Verdict", "fail", "na", "passed", "verdict"]

Status = Literal["pass", "fail", "na"]


class Verdict(BaseModel):
    """One evaluator on one trace. `na` (a check that does not apply) is never a failure."""

    name: str
    status: Status
    reason: str = ""

    @property
    def failed(self) -> bool:
        """True only for a real failure."""
        return self.status == "fail"


Evaluator = Callable[[Trace], Verdict]
"""An evaluator: a pure function of a trace."""


def passed(name: str, reason: str = "") -> Verdict:
    """A pass."""
    return Verdict(name=name, status="pass", reason=reason)


def fail(name: str, reason: str) -> Verdict:
    """A failure, with what was wrong."""
    return Verdict(name=name, status="fail", reason=reason)


def na(name: str, reason: str) -> Verdict:
    """Not applicable, with why."""
    return Verdict(name=name, status="na", reason=reason)


def verdict(name: str, ok: bool, reason: str) -> Verdict:
    """Pass or fail by `ok`, with the same reason either way."""
    return Verdict(name=name, status="pass" if ok else "fail", reason=reason)
