"""QualityGateAgent: the full gate on the draft; a failing draft never reaches Gmail.

A failing draft goes back to the writer with the violations, at most the run context's
`max_revisions` times; then the run ends as REJECTED with the reasons.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.domain import GateStatus, Outcome
from sales_agent.graph.context import FollowupContext, run_clock, run_context
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._gate import gate_context_for
from sales_agent.policy.quality import evaluate_draft
from sales_agent.services import ServicesProvider

__all__ = ["quality_gate"]


def quality_gate(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """The gate's result; on FAIL either the notes for a rewrite or the REJECTED outcome."""
    assert state.draft is not None
    ctx = gate_context_for(state, services(), run_clock(runtime))
    gate = evaluate_draft(state.draft, ctx)
    if gate.status is not GateStatus.FAIL:
        return {"gate": gate}
    if state.revisions < run_context(runtime).max_revisions:
        notes = [v.message for v in gate.violations if v.severity == "error"]
        return {
            "gate": gate,
            "revisions": state.revisions + 1,
            "revision_notes": [*notes, *gate.suggestions],
        }
    reason = f"rejected after {state.revisions} revision(s): {gate.reason}"
    return {"gate": gate, "outcome": Outcome.REJECTED, "outcome_reason": reason}
