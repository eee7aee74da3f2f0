"""CRMHygieneAgent: a HubSpot note on the contact (and company) for every prepared draft."""

from __future__ import annotations

from html import escape
from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from sales_agent.db.side_effects import run_once
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock, run_context
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.policy.audit import record_event
from sales_agent.services import current_services

__all__ = ["log_to_crm"]

_PREVIEW_CHARS = 280


def _note_body(state: FollowupState, reference: str) -> str:
    """The note's HTML; every text from mail is escaped (it is data, and HubSpot renders it).

    The reference (the ledger key) lets a retried run find this note instead of writing
    it twice.
    """
    assert state.draft is not None
    summary = escape(state.thread.summary if state.thread else "")
    preview = escape(state.draft.body[:_PREVIEW_CHARS])
    slots = ", ".join(slot.start.isoformat() for slot in state.slots) or "none free"
    return (
        f"<p><strong>sales-agent prepared a reply</strong> ({escape(state.draft.subject)})</p>"
        f"<p>Lead said: {summary}</p><p>Draft preview: {preview}</p>"
        f"<p>Proposed slots: {slots}. Awaiting the operator's approval.</p>"
        f"<p>Reference: {escape(reference)}</p>"
    )


def log_to_crm(
    state: FollowupState, runtime: Runtime[FollowupContext]
) -> Command[Literal["place_gmail_draft", "record_outcome"]]:
    """Create the note once per thread and draft revision (a re-run reuses it)."""
    services = current_services()
    identity = state.identity
    assert identity is not None
    if (stop := stopped_by_kill_switch(services)) is not None:
        return Command(goto="record_outcome", update=stop)
    thread_id = current_thread_id(runtime)
    if identity.contact_id is None:
        with services.pool.connection() as conn:
            record_event(
                conn,
                actor=run_context(runtime).actor,
                action="crm_note_skipped",
                thread_id=thread_id,
                contact_email=identity.email,
                reason="the lead is not a HubSpot contact yet",
            )
        return Command(goto="place_gmail_draft", update={"crm_note_id": None})
    contact_id, company_id = identity.contact_id, identity.company_id
    key = f"{thread_id}:crm_note:1"
    hubspot = services.connectors.hubspot
    body = _note_body(state, key)
    result = run_once(
        services.pool,
        key=key,
        kind="crm_note",
        thread_id=thread_id,
        call=lambda: {
            "note_id": hubspot.create_note(body, contact_id, company_id, run_clock(runtime))
        },
        recover=lambda: (
            {"note_id": found}
            if (found := hubspot.find_note_containing(contact_id, f"Reference: {escape(key)}"))
            else None
        ),
    )
    return Command(goto="place_gmail_draft", update={"crm_note_id": str(result["note_id"])})
