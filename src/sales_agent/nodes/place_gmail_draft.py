"""Places the approved-for-review draft in Gmail, threaded under the lead's message."""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from sales_agent.db.drafts import upsert_pending_draft
from sales_agent.db.side_effects import run_once
from sales_agent.graph.context import FollowupContext, current_thread_id, run_context
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._gmail_reply import draft_key, gmail_reply_for
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.policy.audit import record_event
from sales_agent.services import current_services

__all__ = ["place_gmail_draft"]


def place_gmail_draft(
    state: FollowupState, runtime: Runtime[FollowupContext]
) -> Command[Literal["await_approval", "record_outcome"]]:
    """Create the Gmail draft once per thread and revision, then record it as pending."""
    services = current_services()
    if (stop := stopped_by_kill_switch(services)) is not None:
        return Command(goto="record_outcome", update=stop)
    thread_id = current_thread_id(runtime)
    assert state.draft is not None and state.gate is not None and state.identity is not None
    key = draft_key(thread_id)
    reply = gmail_reply_for(state, state.draft, idempotency_key=key)
    gmail = services.connectors.gmail
    result = run_once(
        services.pool,
        key=key,
        kind="gmail_draft",
        thread_id=thread_id,
        call=lambda: {"draft_id": gmail.create_draft(reply)},
        recover=lambda: {"draft_id": found} if (found := gmail.find_draft_by_key(key)) else None,
    )
    gmail_draft_id = str(result["draft_id"])
    with services.pool.connection() as conn:
        record_id = upsert_pending_draft(
            conn,
            thread_id=thread_id,
            revision=1,
            contact_email=state.identity.email,
            subject=state.draft.subject,
            body=state.draft.body,
            gmail_thread_id=reply.thread_id,
            gmail_draft_id=gmail_draft_id,
            gate=state.gate.model_dump(mode="json"),
            slots=[slot.model_dump(mode="json") for slot in state.slots],
        )
        record_event(
            conn,
            actor=run_context(runtime).actor,
            action="draft_created",
            thread_id=thread_id,
            draft_id=record_id,
            contact_email=state.identity.email,
            company_id=state.identity.company_id,
            reason=f"gate {state.gate.status}",
            metadata={"gmail_draft_id": gmail_draft_id},
        )
    return Command(
        goto="await_approval",
        update={"gmail_draft_id": gmail_draft_id, "draft_record_id": record_id},
    )
