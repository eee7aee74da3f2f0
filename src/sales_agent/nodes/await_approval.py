"""The human-approval interrupt: nothing leaves the draft stage without the operator."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from sales_agent.graph.approval import ApprovalDecision, build_interrupt, parse_resume
from sales_agent.graph.context import FollowupContext, current_thread_id
from sales_agent.graph.state import Draft, FollowupState, Outcome
from sales_agent.memory.voice.feedback import edit_diff, record_edit
from sales_agent.nodes._gmail_reply import draft_key, gmail_reply_for
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.policy.pii import default_redactor
from sales_agent.services import Services, current_services

__all__ = ["await_approval"]


def _apply_edit(
    state: FollowupState, decision: ApprovalDecision, services: Services, thread_id: str
) -> Draft:
    assert state.draft is not None and state.gmail_draft_id is not None
    edited = state.draft.model_copy(
        update={
            "subject": decision.subject or state.draft.subject,
            "body": decision.body or state.draft.body,
        }
    )
    # Updating a Gmail draft replaces its content with the same value on a re-run, so the
    # call is idempotent by nature and needs no ledger entry.
    reply = gmail_reply_for(state, edited, idempotency_key=draft_key(thread_id))
    services.connectors.gmail.update_draft(state.gmail_draft_id, reply)
    _learn_from_edit(state, edited, services, thread_id)
    return edited


def _learn_from_edit(
    state: FollowupState, edited: Draft, services: Services, thread_id: str
) -> None:
    """Store the edit's redacted diff; the next voice refresh turns repeats into rules."""
    assert state.draft is not None and state.gmail_draft_id is not None
    diff = edit_diff(state.draft.body, edited.body, default_redactor())
    with services.pool.connection() as conn:
        record_edit(
            conn,
            operator_email=services.settings.operator_email,
            draft_id=state.draft_record_id or state.gmail_draft_id,
            thread_id=thread_id,
            diff=diff,
        )


def await_approval(state: FollowupState, runtime: Runtime[FollowupContext]) -> dict[str, Any]:
    """Pause with an Agent Inbox interrupt; apply the operator's accept, edit or ignore."""
    services = current_services()
    assert state.draft is not None and state.gate is not None
    assert state.gmail_draft_id is not None
    request = build_interrupt(
        draft=state.draft,
        thread=state.thread,
        slots=state.slots,
        gate=state.gate,
        gmail_draft_id=state.gmail_draft_id,
        timezone=services.settings.timezone,
    )
    decision = parse_resume(interrupt(request))
    if decision.kind != "accept" and (stop := stopped_by_kill_switch(services)) is not None:
        return stop  # an edit or an ignore would write to Gmail: the draft stays as it is
    if decision.kind == "edit":
        edited = _apply_edit(state, decision, services, current_thread_id(runtime))
        return {"draft": edited, "outcome": Outcome.EDITED, "outcome_reason": "operator edited"}
    if decision.kind == "ignore":
        services.connectors.gmail.delete_draft(state.gmail_draft_id)
        return {"outcome": Outcome.IGNORED, "outcome_reason": "operator ignored the draft"}
    return {"outcome": Outcome.APPROVED, "outcome_reason": "operator approved the draft"}
