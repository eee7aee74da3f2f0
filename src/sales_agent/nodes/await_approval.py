"""The human-approval interrupt: nothing leaves the draft stage without the operator.

accept and edit go on to delivery; respond sends the operator's feedback back to the writer
(re-gated, a new interrupt); ignore deletes the Gmail draft. The agent resumes a waiting
thread itself when the approval window passed (expired: the draft is deleted too). A
sequence's follow-up skips the interrupt only under AUTO_SEND_FOLLOWUP (`_auto_send.py`). The
decision is written to the state; the graph routes on it (`graph/followup.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from sales_agent.domain import Draft, Outcome
from sales_agent.domain.approval import (
    ApprovalDecision,
    ApprovalRequest,
    build_interrupt,
    parse_resume,
)
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock
from sales_agent.graph.state import FollowupState, chat_messages
from sales_agent.memory.voice.feedback import edit_diff, record_edit
from sales_agent.nodes._auto_send import auto_send_reason
from sales_agent.nodes._effects import effect_key
from sales_agent.nodes._gmail_reply import delete_gmail_draft, gmail_reply_for, unsubscribe_link
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.policy.pii import default_redactor
from sales_agent.services import Services, ServicesProvider

__all__ = ["await_approval"]

_WITHDRAWN = {
    "ignore": (Outcome.IGNORED, "operator ignored the draft"),
    "expired": (Outcome.EXPIRED, "no decision within the approval window"),
}


def _apply_edit(
    state: FollowupState,
    decision: ApprovalDecision,
    services: Services,
    thread_id: str,
    now: datetime,
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
    key = effect_key(thread_id, "gmail_draft", state.draft_version)
    assert state.identity is not None
    link = unsubscribe_link(
        services.settings,
        email=state.identity.email,
        thread_id=thread_id,
        version=state.draft_version,
        now=now,
    )
    services.connectors.gmail.update_draft(
        state.gmail_draft_id,
        gmail_reply_for(state, edited, idempotency_key=key, list_unsubscribe=link),
    )
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


def await_approval(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Pause with an approval interrupt (the configured shape); carry out its decision."""
    svc = services()
    assert state.draft is not None and state.gate is not None
    assert state.gmail_draft_id is not None
    if (auto := auto_send_reason(svc, state, run_clock(runtime))) is not None:
        return {"outcome": Outcome.APPROVED, "outcome_reason": auto, "auto_approved": True}
    request = ApprovalRequest(
        draft=state.draft,
        thread=state.thread,
        plan=state.plan,
        slots=state.slots,
        assets=[state.plan.asset] if state.plan and state.plan.asset else [],
        gate=state.gate,
        gmail_draft_id=state.gmail_draft_id,
        timezone=svc.settings.timezone,
    )
    decision = parse_resume(interrupt(build_interrupt(request, svc.settings.interrupt_shape)))
    if decision.kind == "accept":
        return {"outcome": Outcome.APPROVED, "outcome_reason": "operator approved the draft"}
    if decision.kind == "respond":
        # The operator's words are instructions to the writer (they are the operator's own),
        # unlike the lead's text, which stays data.
        assert decision.feedback is not None
        return {"revisions": 0, "revision_notes": [f"Operator: {decision.feedback}"]}
    if (stop := stopped_by_kill_switch(svc)) is not None:
        return stop  # every other decision writes
    thread_id = current_thread_id(runtime)
    if decision.kind == "edit":
        edited = _apply_edit(state, decision, svc, thread_id, run_clock(runtime))
        return {
            "draft": edited,
            "messages": chat_messages(state, edited),
            "outcome": Outcome.EDITED,
            "outcome_reason": "operator edited",
        }
    outcome, reason = _WITHDRAWN[decision.kind]
    delete_gmail_draft(svc.connectors.gmail, state.gmail_draft_id)
    return {"outcome": outcome, "outcome_reason": reason}
