"""The quality gate's golden drafts: a shared base context, per-draft overrides, expectations.

Used by the golden test and by the gate benchmark, so both judge exactly the same drafts.
A case's `context` overrides fields of the base `GateContext`; two keys are written in a
friendlier form: `quota_refusal` as `{quota_type, limit, current, reset_at}`, and
`inbound_text`, which goes through the injection detector as the real inbound mail would.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sales_agent.bench.paths import DEFAULT_GOLDEN_PATH
from sales_agent.domain import Draft, GateStatus
from sales_agent.policy.gate_context import GateContext
from sales_agent.policy.injection import detect_injection
from sales_agent.policy.quotas import QuotaExceeded

__all__ = ["GoldenDraft", "GoldenFile", "build_case", "load_golden"]


class GoldenDraft(BaseModel):
    """One draft and what the gate must say about it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    subject: str
    body: str
    to: tuple[str, ...]
    context: dict[str, Any] = Field(default_factory=dict)
    expected_status: GateStatus
    expected_checks: tuple[str, ...] = Field(description="Every check that must be flagged.")
    expected_send_allowed: bool | None = None
    expected_risk_score: int | None = None


class GoldenFile(BaseModel):
    """The file: the base context every draft starts from, and the drafts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_context: dict[str, Any]
    drafts: tuple[GoldenDraft, ...]


def load_golden(path: Path = DEFAULT_GOLDEN_PATH) -> GoldenFile:
    """Read and validate a golden file."""
    return GoldenFile.model_validate_json(path.read_text(encoding="utf-8"))


def _context(fields: dict[str, Any]) -> GateContext:
    fields = dict(fields)
    if (quota := fields.pop("quota_refusal", None)) is not None:
        reset_at = quota.get("reset_at")
        fields["quota_refusal"] = QuotaExceeded(
            quota["quota_type"],
            quota["limit"],
            quota["current"],
            datetime.fromisoformat(reset_at) if reset_at else None,
        )
    if (inbound := fields.pop("inbound_text", None)) is not None:
        fields["injection_findings"] = tuple(detect_injection(inbound))
    return GateContext.model_validate(fields)


def build_case(golden: GoldenFile, case: GoldenDraft) -> tuple[Draft, GateContext]:
    """The draft and the context the gate judges it in."""
    draft = Draft(to=case.to, subject=case.subject, body=case.body)
    return draft, _context({**golden.base_context, **case.context})
