"""QualityGateAgent: the full gate on the draft; a failing draft never reaches Gmail.

A failing draft goes back to the writer with the violations, at most `MAX_REVISIONS` times;
then the run ends as REJECTED with the reasons.
"""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from sales_agent.domain import GateStatus, Outcome
from sales_agent.graph.context import FollowupContext, run_clock
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._gate import gate_context_for
from sales_agent.policy.quality import evaluate_draft
from sales_agent.services import current_services

__all__ = ["MAX_REVISIONS", "quality_gate"]

MAX_REVISIONS = 2
Next = Literal["log_to_crm", "write_draft", "record_outcome"]


def quality_gate(state: FollowupState, runtime: Runtime[FollowupContext]) -> Command[Next]:
    """PASS or WARN go on to the CRM and Gmail; FAIL is revised, then REJECTED."""
    assert state.draft is not None
    ctx = gate_context_for(state, current_services(), run_clock(runtime))
    gate = evaluate_draft(state.draft, ctx)
    if gate.status is not GateStatus.FAIL:
        return Command(goto="log_to_crm", update={"gate": gate})
    if state.revisions < MAX_REVISIONS:
        notes = [v.message for v in gate.violations if v.severity == "error"]
        return Command(
            goto="write_draft",
            update={
                "gate": gate,
                "revisions": state.revisions + 1,
                "revision_notes": [*notes, *gate.suggestions],
            },
        )
    reason = f"rejected after {state.revisions} revision(s): {gate.reason}"
    return Command(
        goto="record_outcome",
        update={"gate": gate, "outcome": Outcome.REJECTED, "outcome_reason": reason},
    )
