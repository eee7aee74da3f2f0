"""Withdraws a draft that waits for approval when its Gmail thread moved on without it.

A newer message from the lead supersedes the draft (the graph then writes the next version
for the newer thread); the operator's own reply from Gmail means the thread is handled (the
run ends HANDLED). A sequence's follow-up is not rewritten: a newer message ends it
SUPERSEDED, and the reply flow answers the lead. Either way the waiting Gmail draft is
deleted and the decision audited.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.db.drafts import set_draft_status
from sales_agent.domain import Outcome
from sales_agent.graph.context import FollowupContext, current_thread_id, run_context
from sales_agent.graph.state import FollowupState, next_draft_version
from sales_agent.nodes._gmail_reply import delete_gmail_draft
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.policy.audit import record_event
from sales_agent.services import ServicesProvider

__all__ = ["withdraw_draft"]


def withdraw_draft(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Delete the waiting Gmail draft; start the next version, or end the thread as handled."""
    svc = services()
    assert state.gmail_draft_id is not None
    if (stop := stopped_by_kill_switch(svc)) is not None:
        return stop
    delete_gmail_draft(svc.connectors.gmail, state.gmail_draft_id)
    if state.arrival == "handled":
        return {"outcome": Outcome.HANDLED, "outcome_reason": "the operator answered from Gmail"}
    if state.trigger.source == "sequence":
        # A follow-up is never rewritten for a reply: the reply flow answers the lead.
        reason = f"the lead wrote before follow-up {state.trigger.touch} was approved"
        return {"outcome": Outcome.SUPERSEDED, "outcome_reason": reason}
    with svc.pool.connection() as conn:
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
    return next_draft_version(state)
