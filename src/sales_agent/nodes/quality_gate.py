"""QualityGateAgent: the full gate on the draft; a failing draft never reaches Gmail."""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from sales_agent.graph.context import FollowupContext, run_clock
from sales_agent.graph.state import FollowupState, GateStatus, Outcome
from sales_agent.policy.gate_context import gather_gate_context
from sales_agent.policy.quality import evaluate_draft
from sales_agent.services import current_services

__all__ = ["quality_gate"]


def quality_gate(
    state: FollowupState, runtime: Runtime[FollowupContext]
) -> Command[Literal["log_to_crm", "record_outcome"]]:
    """PASS or WARN go on to the CRM and Gmail; FAIL ends the run as REJECTED."""
    assert state.draft is not None
    services = current_services()
    thread = state.thread
    # A reply may go to the thread's participants and to the CRM's contacts; a form or
    # manual trigger's lead came from HubSpot or the operator, never from a body's text.
    participants = [
        *(thread.participants if thread else ()),
        *([state.trigger.contact_email] if state.trigger.contact_email else []),
    ]
    with services.pool.connection() as conn:
        ctx = gather_gate_context(
            conn,
            settings=services.settings,
            voice=services.voice,
            directory=services.crm,
            recipient=state.identity,
            participants=participants,
            injection_findings=thread.injection_findings if thread else (),
            now=run_clock(runtime),
        )
    gate = evaluate_draft(state.draft, ctx)
    if gate.status is GateStatus.FAIL:
        return Command(
            goto="record_outcome",
            update={"gate": gate, "outcome": Outcome.REJECTED, "outcome_reason": gate.reason},
        )
    return Command(goto="log_to_crm", update={"gate": gate})
