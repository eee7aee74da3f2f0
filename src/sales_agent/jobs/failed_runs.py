"""A run that failed for good leaves the CRM true and shows in the operator's inbox.

The follow-up graph writes its HubSpot note and task before it places the Gmail draft; when
placing the draft then fails for good (a Gmail 500 on draft create is not retried, since a
create is not idempotent), the note would go on saying a draft awaits approval. Settling the
run updates that note and completes the task with the reason, records the draft (if any)
as `failed` in the inbox, and audits the failure. Every step is an idempotent update.
"""

from __future__ import annotations

import logging
from datetime import datetime
from html import escape

from sales_agent.db.drafts import upsert_failed_draft
from sales_agent.graph.state import FollowupState
from sales_agent.jobs.followup_runs import FollowupGraph
from sales_agent.nodes.place_gmail_draft import draft_context
from sales_agent.policy.audit import record_event
from sales_agent.services import Services

__all__ = ["reopen_after_retry", "settle_failed_run"]

logger = logging.getLogger(__name__)

_UNPLACED = "(no draft: the run failed before writing one)"
_RETRIED = "<p><strong>Update: the run was retried and a draft now awaits approval.</strong></p>"
_REOPENED = "Review the draft awaiting approval (sales-agent retried the run that had failed)."


def _failure_line(error: str) -> str:
    return (
        "<p><strong>Update: the run failed and no draft awaits approval.</strong> "
        f"Reason: {escape(error)}. Retry it from the admin API or handle the lead by hand.</p>"
    )


def _correct_crm(services: Services, state: FollowupState, error: str) -> None:
    """Say in HubSpot what really happened: the note updated, the task completed."""
    hubspot = services.connectors.hubspot
    if state.crm_note_id is not None:
        note = hubspot.get_note(state.crm_note_id)
        if "the run failed" not in note.body:  # settled once already: nothing to add
            hubspot.update_note(state.crm_note_id, note.body + _failure_line(error))
    if state.crm_task_id is not None:
        reason = f"Closed by sales-agent: the run failed ({error}); no draft awaits review."
        hubspot.complete_task(state.crm_task_id, escape(reason))


def settle_failed_run(
    services: Services,
    graph: FollowupGraph,
    *,
    thread_id: str,
    run_id: str,
    error: str,
    now: datetime,
) -> None:
    """Leave the CRM, the inbox and the audit trail true after a final failure.

    Never raises: the run is already recorded as failed, and a service that is still down
    must not hide that; what could not be corrected is logged.
    """
    snapshot = graph.get_state({"configurable": {"thread_id": thread_id}})
    if not snapshot.values or snapshot.interrupts:
        return  # nothing ran, or a draft does wait for approval: nothing to correct
    state = FollowupState.model_validate(snapshot.values)
    if state.outcome is not None:
        return  # the run had ended; whatever failed came after
    try:
        _correct_crm(services, state, error)
    except Exception:  # the services may be what failed; the run's error stands regardless
        logger.exception("could not correct HubSpot after run %s failed", run_id)
    identity = state.identity
    with services.pool.connection() as conn, conn.transaction():
        draft_id = None
        if identity is not None:
            draft = state.draft
            draft_id = upsert_failed_draft(
                conn,
                thread_id=thread_id,
                revision=state.draft_version,
                contact_email=identity.email,
                subject=draft.subject if draft else _UNPLACED,
                body=draft.body if draft else "",
                gmail_thread_id=state.thread.gmail_thread_id if state.thread else None,
                gate=state.gate.model_dump(mode="json") if state.gate else {},
                slots=[slot.model_dump(mode="json") for slot in state.slots],
                context={**draft_context(state), "error": error, "run_id": run_id},
                created_at=now,
            )
        record_event(
            conn,
            actor="agent",
            action="run_failed",
            thread_id=thread_id,
            draft_id=draft_id,
            contact_email=identity.email if identity else None,
            company_id=identity.company_id if identity else None,
            reason=error,
            metadata={
                "run_id": run_id,
                "crm_note_id": state.crm_note_id,
                "crm_task_id": state.crm_task_id,
            },
        )


def reopen_after_retry(services: Services, graph: FollowupGraph, *, thread_id: str) -> None:
    """Undo a settlement once a retry reached the approval: the note and the task say so.

    Never raises (the retry itself succeeded); what could not be corrected is logged.
    """
    snapshot = graph.get_state({"configurable": {"thread_id": thread_id}})
    if not snapshot.interrupts:
        return
    state = FollowupState.model_validate(snapshot.values)
    hubspot = services.connectors.hubspot
    try:
        if state.crm_note_id is not None:
            note = hubspot.get_note(state.crm_note_id)
            if "the run failed" in note.body and _RETRIED not in note.body:
                hubspot.update_note(state.crm_note_id, note.body + _RETRIED)
        if state.crm_task_id is not None:
            hubspot.reopen_task(state.crm_task_id, _REOPENED)
    except Exception:  # the CRM may be down; the draft awaits approval regardless
        logger.exception("could not correct HubSpot after the retry on thread %s", thread_id)
