"""Records how the run ended: the draft's status and an audit event with the reason."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.db.drafts import set_draft_status
from sales_agent.graph.context import FollowupContext, current_thread_id, run_context
from sales_agent.graph.state import FollowupState, Outcome
from sales_agent.policy.audit import record_event
from sales_agent.policy.mode import current_mode
from sales_agent.services import current_services

__all__ = ["record_outcome"]

_DRAFT_STATUS = {
    Outcome.APPROVED: "approved",
    Outcome.EDITED: "edited",
    Outcome.SENT: "sent",
    Outcome.IGNORED: "ignored",
    Outcome.REJECTED: "rejected",
    Outcome.BLOCKED: "blocked",
    Outcome.HANDLED: "handled",
    Outcome.EXPIRED: "expired",
    Outcome.SUPERSEDED: "superseded",
}
# Decisions the operator made at the approval step; every other outcome is the agent's.
_OPERATOR_OUTCOMES = frozenset({Outcome.APPROVED, Outcome.EDITED, Outcome.SENT, Outcome.IGNORED})


def record_outcome(state: FollowupState, runtime: Runtime[FollowupContext]) -> dict[str, Any]:
    """Close the draft's record and audit how the run ended, with the reason."""
    assert state.outcome is not None
    thread_id = current_thread_id(runtime)
    reason = state.outcome_reason or ""
    with current_services().pool.connection() as conn:
        if state.outcome in (Outcome.APPROVED, Outcome.EDITED) and "not sent" not in reason:
            reason += (
                f"; mode {current_mode(conn)}: the draft stays in Gmail for the operator to send"
            )
        if state.draft_record_id is not None and state.outcome in _DRAFT_STATUS:
            edited = state.draft if state.outcome in (Outcome.EDITED, Outcome.SENT) else None
            set_draft_status(
                conn,
                draft_id=state.draft_record_id,
                status=_DRAFT_STATUS[state.outcome],
                subject=edited.subject if edited else None,
                body=edited.body if edited else None,
                sent_message_id=state.sent_message_id,
            )
        record_event(
            conn,
            actor="operator" if state.outcome in _OPERATOR_OUTCOMES else run_context(runtime).actor,
            action=f"outcome_{state.outcome.value.lower()}",
            thread_id=thread_id,
            draft_id=state.draft_record_id,
            contact_email=state.identity.email if state.identity else None,
            company_id=state.identity.company_id if state.identity else None,
            reason=reason,
            metadata={
                "gmail_draft_id": state.gmail_draft_id,
                "plan": state.plan.action.value if state.plan else None,
                "crm_task_id": state.crm_task_id,
                "sent_message_id": state.sent_message_id,
            },
        )
    return {"outcome_reason": reason}
