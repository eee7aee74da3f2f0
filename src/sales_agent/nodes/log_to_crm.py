"""CRMHygieneAgent: a HubSpot note and a "Follow up" task for every prepared draft.

The note carries the thread's summary, the draft's preview and a link to the operator inbox;
the task is due the next business day. Both attach to the contact, company and open deal,
and both are keyed by thread, step and draft version: a re-run finds them, never duplicates.
The two are independent, so they are created concurrently (one round trip of waiting).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from datetime import datetime, time
from html import escape
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from langgraph.runtime import Runtime

from sales_agent.db.side_effects import run_once
from sales_agent.domain.slots import business_days_after
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock, run_context
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._effects import create_crm_task, effect_key, reference_line
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.policy.audit import record_event
from sales_agent.services import Services, ServicesProvider

__all__ = ["crm_note_url", "inbox_link", "log_to_crm"]

_PREVIEW_CHARS = 280


def inbox_link(services: Services, thread_id: str) -> str:
    """Where the operator reviews this thread's draft."""
    return f"{services.settings.public_url}/inbox?thread={quote(thread_id, safe='')}"


def crm_note_url(services: Services, note_id: str | None) -> str | None:
    """Where a note this node logged can be opened: in the sandbox, the note's resource.

    None without a note, and with real HubSpot: a link into HubSpot's app needs the portal
    id, which the agent does not read; the note sits on the contact's timeline there.
    """
    if note_id is None or services.settings.uses_real_hubspot or services.sandbox_url is None:
        return None
    return f"{services.sandbox_url}/crm/v3/objects/notes/{quote(note_id, safe='')}"


def _note_body(state: FollowupState, reference: str, link: str) -> str:
    """The note's HTML; every text from mail is escaped (it is data, and HubSpot renders it)."""
    assert state.draft is not None
    summary = escape(state.thread.summary if state.thread else "")
    preview = escape(state.draft.body[:_PREVIEW_CHARS])
    slots = ", ".join(slot.start.isoformat() for slot in state.slots) or "none offered"
    plan = escape(state.plan.reason) if state.plan else ""
    return (
        f"<p><strong>sales-agent prepared a reply</strong> ({escape(state.draft.subject)})</p>"
        f"<p>Lead said: {summary}</p><p>Plan: {plan}</p><p>Draft preview: {preview}</p>"
        f"<p>Proposed slots: {slots}. Awaiting the operator's approval: "
        f'<a href="{escape(link)}">open in the inbox</a>.</p>'
        f"<p>{reference}</p>"
    )


def _next_business_morning(services: Services, now: datetime) -> datetime:
    settings = services.settings
    zone = ZoneInfo(settings.timezone)
    day = business_days_after(now.astimezone(zone).date(), 1, settings.holiday_country)[0]
    return datetime.combine(day, time(settings.working_hours_start), zone)


def log_to_crm(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Create the note and the task once per thread and draft version."""
    svc = services()
    identity = state.identity
    assert identity is not None and state.draft is not None
    if (stop := stopped_by_kill_switch(svc)) is not None:
        return stop
    thread_id = current_thread_id(runtime)
    contact_id = identity.contact_id
    if contact_id is None:
        with svc.pool.connection() as conn:
            record_event(
                conn,
                actor=run_context(runtime).actor,
                action="crm_note_skipped",
                thread_id=thread_id,
                contact_email=identity.email,
                reason="the lead is not a HubSpot contact yet",
            )
        return {"crm_note_id": None}
    now = run_clock(runtime)
    key = effect_key(thread_id, "crm_note", state.draft_version)
    hubspot = svc.connectors.hubspot
    body = _note_body(state, reference_line(key), inbox_link(svc, thread_id))
    # Each write runs in a copy of this context: the log's trace id follows it into the thread.
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="crm") as pool:
        note = pool.submit(
            copy_context().run,
            run_once,
            svc.pool,
            key=key,
            kind="crm_note",
            thread_id=thread_id,
            call=lambda: {
                "note_id": hubspot.create_note(body, contact_id, identity.company_id, now)
            },
            recover=lambda: (
                {"note_id": found}
                if (found := hubspot.find_note_containing(contact_id, reference_line(key)))
                else None
            ),
        )
        task = pool.submit(
            copy_context().run,
            create_crm_task,
            svc,
            key=effect_key(thread_id, "crm_task", state.draft_version),
            thread_id=thread_id,
            identity=identity,
            subject=f"Follow up: {state.draft.subject}",
            body=f"Review and send the reply drafted for {identity.email}: "
            f"{inbox_link(svc, thread_id)}",
            due=_next_business_morning(svc, now),
        )
        note_id, task_id = note.result()["note_id"], task.result()
    return {"crm_note_id": str(note_id), "crm_task_id": task_id}
