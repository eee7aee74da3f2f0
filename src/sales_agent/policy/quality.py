"""The quality gate: one verdict on a draft, from the draft and its gathered `GateContext`.

Pure and fast (no I/O), so the graph and `sales-agent gate check` share one implementation;
`policy.gate_context.gather_gate_context` collects the context beforehand. FAIL on any
error, WARN on warnings only, else PASS. A person approves every send, and a send is
allowed only when the draft passed and nothing in the policy stands in the way.
"""

from __future__ import annotations

from sales_agent.domain import Draft, GateResult, GateStatus, GateViolation
from sales_agent.policy.gate_content import (
    EM_DASH,
    MAX_WORDS,
    content_findings,
    count_ctas,
    word_count,
)
from sales_agent.policy.gate_context import GateContext
from sales_agent.policy.gate_delivery import delivery_findings, send_blockers
from sales_agent.policy.risk import risk_score

# The text measures are re-exported: evals score drafts with the gate's own definitions.
__all__ = ["EM_DASH", "MAX_WORDS", "GateContext", "count_ctas", "evaluate_draft", "word_count"]


def evaluate_draft(draft: Draft, ctx: GateContext) -> GateResult:
    """Run every check on `draft` and say whether it may go on, and be sent."""
    findings = [*content_findings(draft, ctx), *delivery_findings(draft, ctx)]
    risk = risk_score((f.factor for f in findings if f.factor), ctx.risk_weights)
    errors = [f.message for f in findings if f.severity == "error"]
    warnings = [f.message for f in findings if f.severity == "warning"]
    if errors:
        status, reason = GateStatus.FAIL, "; ".join(errors)
    elif warnings:
        status, reason = GateStatus.WARN, "; ".join(warnings)
    else:
        status, reason = GateStatus.PASS, "all checks passed"
    blockers = send_blockers(draft, ctx)
    if blockers and status is not GateStatus.FAIL:
        reason += f" (not sendable now: {', '.join(blockers)})"
    return GateResult(
        status=status,
        violations=tuple(
            GateViolation(check=f.check, severity=f.severity, message=f.message) for f in findings
        ),
        reason=reason,
        risk_score=risk.score,
        risk_factors=risk.factors,
        send_allowed=status is not GateStatus.FAIL and not blockers,
        approval_required=True,
        suggestions=tuple(dict.fromkeys(f.suggestion for f in findings if f.suggestion)),
    )
