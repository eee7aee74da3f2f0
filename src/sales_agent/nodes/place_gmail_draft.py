"""Places the draft in Gmail, threaded under the lead's message, and records it as pending.

One Gmail draft per thread and draft version (keyed in the ledger and carried in the
X-Sales-Agent-Key header, so a crashed attempt's draft is found, not duplicated). A rewrite
within the same version (the operator's feedback) updates that draft in place.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.db.drafts import upsert_pending_draft
from sales_agent.db.side_effects import run_once
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock, run_context
from sales_agent.graph.state import FollowupState, chat_messages
from sales_agent.nodes._effects import effect_key
from sales_agent.nodes._gmail_reply import gmail_reply_for, unsubscribe_link
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.policy.audit import record_event
from sales_agent.services import ServicesProvider

__all__ = ["draft_context", "place_gmail_draft"]


def draft_context(state: FollowupState) -> dict[str, object]:
    """What the inbox shows beside the draft: summary, plan, assets, writer, revisions."""
    return {
        "summary": state.thread.summary if state.thread else None,
        "intent": state.thread.intent if state.thread else None,
        "plan": state.plan.model_dump(mode="json") if state.plan else None,
        "assets": [asset.model_dump(mode="json") for asset in state.assets],
        "writer": state.writer,
        "revisions": state.revisions,
    }


def place_gmail_draft(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Create (or update) the Gmail draft of this version, then record it as pending."""
    svc = services()
    if (stop := stopped_by_kill_switch(svc)) is not None:
        return stop
    thread_id = current_thread_id(runtime)
    assert state.draft is not None and state.gate is not None and state.identity is not None
    key = effect_key(thread_id, "gmail_draft", state.draft_version)
    link = unsubscribe_link(
        svc.settings,
        email=state.identity.email,
        thread_id=thread_id,
        version=state.draft_version,
        now=run_clock(runtime),
    )
    reply = gmail_reply_for(state, state.draft, idempotency_key=key, list_unsubscribe=link)
    gmail = svc.connectors.gmail
    created: list[str] = []

    def create() -> dict[str, object]:
        created.append(draft_id := gmail.create_draft(reply))
        return {"draft_id": draft_id}

    result = run_once(
        svc.pool,
        key=key,
        kind="gmail_draft",
        thread_id=thread_id,
        call=create,
        recover=lambda: (
            {"draft_id": found}
            if (found := gmail.find_draft_by_key(key, thread_id=reply.thread_id))
            else None
        ),
    )
    gmail_draft_id = str(result["draft_id"])
    if not created:
        # Reused (a rewrite after feedback, or a retried node): make the draft say what the
        # state says. Replacing content with the same value is idempotent by nature.
        gmail.update_draft(gmail_draft_id, reply)
    with svc.pool.connection() as conn:
        record_id = upsert_pending_draft(
            conn,
            thread_id=thread_id,
            revision=state.draft_version,
            contact_email=state.identity.email,
            subject=state.draft.subject,
            body=state.draft.body,
            gmail_thread_id=reply.thread_id,
            gmail_draft_id=gmail_draft_id,
            gate=state.gate.model_dump(mode="json"),
            slots=[slot.model_dump(mode="json") for slot in state.slots],
            context=draft_context(state),
            created_at=run_clock(runtime),
        )
        record_event(
            conn,
            actor=run_context(runtime).actor,
            action="draft_created" if created else "draft_updated",
            thread_id=thread_id,
            draft_id=record_id,
            contact_email=state.identity.email,
            company_id=state.identity.company_id,
            reason=f"gate {state.gate.status}",
            metadata={"gmail_draft_id": gmail_draft_id, "version": state.draft_version},
        )
    return {
        "gmail_draft_id": gmail_draft_id,
        "draft_record_id": record_id,
        "messages": chat_messages(state, state.draft),
    }
