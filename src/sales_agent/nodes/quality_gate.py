"""QualityGateAgent: hard limits on the draft; a failing draft never reaches Gmail."""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from sales_agent.graph.context import FollowupContext
from sales_agent.graph.state import FollowupState, GateStatus, Outcome
from sales_agent.policy.quality import check_draft
from sales_agent.services import current_services

__all__ = ["quality_gate"]


def quality_gate(
    state: FollowupState, runtime: Runtime[FollowupContext]
) -> Command[Literal["log_to_crm", "record_outcome"]]:
    """PASS or WARN go on to the CRM and Gmail; FAIL ends the run as REJECTED."""
    assert state.draft is not None
    gate = check_draft(state.draft, forbidden_words=current_services().voice.forbidden_words)
    if gate.status is GateStatus.FAIL:
        return Command(
            goto="record_outcome",
            update={"gate": gate, "outcome": Outcome.REJECTED, "outcome_reason": gate.reason},
        )
    return Command(goto="log_to_crm", update={"gate": gate})
