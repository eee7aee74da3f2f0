"""The human-approval interrupt: nothing leaves the draft stage without the operator.

accept and edit go on to delivery; respond sends the operator's feedback back to the writer
(re-gated, a new interrupt); ignore deletes the Gmail draft. The agent resumes a waiting
thread itself when a newer message supersedes the draft (re-read, re-draft), when the
operator answered from Gmail (handled) or when the approval window passed (expired).
"""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from sales_agent.db.drafts import set_draft_status
from sales_agent.domain import Draft, Outcome
from sales_agent.domain.approval import (
    ApprovalDecision,
    ApprovalRequest,
    build_interrupt,
    parse_resume,
)
from sales_agent.graph.context import FollowupContext, current_thread_id, run_context
from sales_agent.graph.state import FollowupState, next_draft_version
from sales_agent.memory.voice.feedback import edit_diff, record_edit
from sales_agent.nodes._effects import effect_key
from sales_agent.nodes._gmail_reply import delete_gmail_draft, gmail_reply_for
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.policy.audit import record_event
from sales_agent.policy.pii import default_redactor
from sales_agent.services import Services, current_services

__all__ = ["await_approval"]

Next = Literal["deliver", "write_draft", "policy_precheck", "record_outcome"]

_WITHDRAWN = {
    "ignore": (Outcome.IGNORED, "operator ignored the draft"),
    "handled": (Outcome.HANDLED, "the operator answered from Gmail"),
    "expired": (Outcome.EXPIRED, "no decision within the approval window"),
}


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
    key = effect_key(thread_id, "gmail_draft", state.draft_version)
    services.connectors.gmail.update_draft(
        state.gmail_draft_id, gmail_reply_for(state, edited, idempotency_key=key)
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


def _supersede(
    state: FollowupState, services: Services, runtime: Runtime[FollowupContext]
) -> Command[Next]:
    """Withdraw the pending draft and start over from the policy check on the newer thread."""
    assert state.gmail_draft_id is not None
    delete_gmail_draft(services.connectors.gmail, state.gmail_draft_id)
    with services.pool.connection() as conn:
        if state.draft_record_id is not None:
            set_draft_status(conn, draft_id=state.draft_record_id, status="superseded")
        record_event(
            conn,
            actor=run_context(runtime).actor,
            action="draft_superseded",
            thread_id=current_thread_id(runtime),
            draft_id=state.draft_record_id,
            contact_email=state.identity.email if state.identity else None,
            reason="a newer message arrived before approval",
        )
    return Command(goto="policy_precheck", update=next_draft_version(state))


def await_approval(state: FollowupState, runtime: Runtime[FollowupContext]) -> Command[Next]:
    """Pause with an Agent Inbox interrupt; carry out the decision it is resumed with."""
    services = current_services()
    assert state.draft is not None and state.gate is not None
    assert state.gmail_draft_id is not None
    request = ApprovalRequest(
        draft=state.draft,
        thread=state.thread,
        plan=state.plan,
        slots=state.slots,
        assets=[state.plan.asset] if state.plan and state.plan.asset else [],
        gate=state.gate,
        gmail_draft_id=state.gmail_draft_id,
        timezone=services.settings.timezone,
    )
    decision = parse_resume(interrupt(build_interrupt(request)))
    if decision.kind == "accept":
        return Command(
            goto="deliver",
            update={"outcome": Outcome.APPROVED, "outcome_reason": "operator approved the draft"},
        )
    if decision.kind == "respond":
        # The operator's words are instructions to the writer (they are the operator's own),
        # unlike the lead's text, which stays data.
        assert decision.feedback is not None
        return Command(
            goto="write_draft",
            update={"revisions": 0, "revision_notes": [f"Operator: {decision.feedback}"]},
        )
    if (stop := stopped_by_kill_switch(services)) is not None:
        return Command(goto="record_outcome", update=stop)  # every other decision writes
    thread_id = current_thread_id(runtime)
    if decision.kind == "edit":
        edited = _apply_edit(state, decision, services, thread_id)
        return Command(
            goto="deliver",
            update={
                "draft": edited,
                "outcome": Outcome.EDITED,
                "outcome_reason": "operator edited",
            },
        )
    if decision.kind == "superseded":
        return _supersede(state, services, runtime)
    outcome, reason = _WITHDRAWN[decision.kind]
    delete_gmail_draft(services.connectors.gmail, state.gmail_draft_id)
    return Command(goto="record_outcome", update={"outcome": outcome, "outcome_reason": reason})
