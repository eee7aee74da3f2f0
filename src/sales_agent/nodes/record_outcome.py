"""Records how the run ended: the draft's status and an audit event with the reason.

What the outcome means for the lead's sequence (enrolled, a touch counted, stopped,
deferred) is carried over too (`_sequence_outcome.py`). A draft the gate rejected never
reached Gmail, so it has no row yet: one is written here (status rejected, with the gate's
result), so the inbox can show why.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from langgraph.runtime import Runtime
from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.db.drafts import set_draft_status, upsert_rejected_draft
from sales_agent.domain import Outcome
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock, run_context
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._sequence_outcome import sequence_after_run
from sales_agent.nodes.place_gmail_draft import draft_context
from sales_agent.policy.audit import record_event
from sales_agent.policy.mode import current_mode
from sales_agent.services import ServicesProvider

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


def _record_rejected(
    conn: Connection[DictRow], state: FollowupState, thread_id: str, now: datetime
) -> str:
    """Write the row of a draft the gate rejected before it reached Gmail; return its id."""
    assert state.draft is not None and state.gate is not None
    return upsert_rejected_draft(
        conn,
        thread_id=thread_id,
        revision=state.draft_version,
        contact_email=state.identity.email if state.identity else state.draft.to[0],
        subject=state.draft.subject,
        body=state.draft.body,
        gmail_thread_id=state.thread.gmail_thread_id if state.thread else None,
        gate=state.gate.model_dump(mode="json"),
        slots=[slot.model_dump(mode="json") for slot in state.slots],
        context=draft_context(state),
        created_at=now,
    )


def record_outcome(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Close the draft's record and audit how the run ended, with the reason."""
    assert state.outcome is not None
    thread_id = current_thread_id(runtime)
    reason = state.outcome_reason or ""
    record_id = state.draft_record_id
    svc = services()
    with svc.pool.connection() as conn:
        if record_id is None and state.outcome is Outcome.REJECTED and state.draft is not None:
            record_id = _record_rejected(conn, state, thread_id, run_clock(runtime))
        waits_in_gmail = "not sent" not in reason and state.scheduled_send_at is None
        if state.outcome in (Outcome.APPROVED, Outcome.EDITED) and waits_in_gmail:
            reason += (
                f"; mode {current_mode(conn)}: the draft stays in Gmail for the operator to send"
            )
        if record_id is not None and state.outcome in _DRAFT_STATUS:
            edited = state.draft if state.outcome in (Outcome.EDITED, Outcome.SENT) else None
            set_draft_status(
                conn,
                draft_id=record_id,
                status=_DRAFT_STATUS[state.outcome],
                subject=edited.subject if edited else None,
                body=edited.body if edited else None,
                sent_message_id=state.sent_message_id,
            )
        record_event(
            conn,
            actor=(
                "operator"
                if state.outcome in _OPERATOR_OUTCOMES and not state.auto_approved
                else run_context(runtime).actor
            ),
            action=f"outcome_{state.outcome.value.lower()}",
            thread_id=thread_id,
            draft_id=record_id,
            contact_email=state.identity.email if state.identity else None,
            company_id=state.identity.company_id if state.identity else None,
            reason=reason,
            metadata={
                "gmail_draft_id": state.gmail_draft_id,
                "plan": state.plan.action.value if state.plan else None,
                "crm_task_id": state.crm_task_id,
                "sent_message_id": state.sent_message_id,
                "scheduled_send_at": (
                    state.scheduled_send_at.isoformat() if state.scheduled_send_at else None
                ),
            },
        )
        sequence_after_run(
            conn,
            svc,
            state,
            thread_id=thread_id,
            now=run_clock(runtime),
            actor=run_context(runtime).actor,
        )
    return {"outcome_reason": reason, "draft_record_id": record_id}
