"""The main job: one seeded lead through the whole product, against the sandbox workspace.

Starts the embedded database (unless DATABASE_URL is set) and an in-process sandbox, runs
the lead to the approval interrupt, resumes with accept, and reports what landed where.
"""

from __future__ import annotations

from typing import Any

from sales_agent.config import Settings, load_settings
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.runs import compile_followup, forget_followup_thread, resume, start
from sales_agent.graph.state import Trigger
from sales_agent.graph.thread_ids import thread_id_for
from sales_agent.policy.mode import current_mode
from sales_agent.sandbox import SEED_LEAD_THREAD_ID
from sales_agent.services import open_services

__all__ = ["demo_settings", "run_demo"]

ACCEPT = [{"type": "accept", "args": None}]


def demo_settings() -> Settings:
    """Settings from the environment, but always on an in-process sandbox (no real APIs)."""
    return load_settings(
        sandbox_url=None,
        hubspot_access_token=None,
        google_client_id=None,
        google_client_secret=None,
        google_refresh_token=None,
    )


def run_demo(settings: Settings) -> dict[str, Any]:
    """Run the seeded lead end to end and return the report `demo --json` prints."""
    trigger = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)
    context = FollowupContext()
    with open_services(settings) as services:
        graph = compile_followup(services)
        # The in-process sandbox starts from its seed every time, so the demo thread starts
        # afresh too (its old ledger would point at drafts this sandbox never had).
        forget_followup_thread(services, thread_id_for(trigger))
        waiting = start(graph, trigger, context)
        if not waiting.interrupts:
            raise RuntimeError(
                f"the demo lead did not reach approval: {waiting.state.outcome_reason}"
            )
        done = resume(graph, waiting.thread_id, ACCEPT, context)
        state = done.state
        assert state.draft is not None and state.gate is not None
        assert state.identity is not None and state.gmail_draft_id is not None
        placed = services.connectors.gmail.get_draft(state.gmail_draft_id)
        with services.pool.connection() as conn:
            mode = current_mode(conn)
        return {
            "thread_id": done.thread_id,
            "contact_email": state.identity.email,
            "company": state.identity.company_name,
            "draft": {
                "to": list(state.draft.to),
                "subject": state.draft.subject,
                "body": state.draft.body,
            },
            "slots": [slot.start.isoformat() for slot in state.slots],
            "slot_details": [slot.model_dump(mode="json") for slot in state.slots],
            "assets": [asset.model_dump(mode="json") for asset in state.assets],
            "gmail_draft_id": state.gmail_draft_id,
            "gmail": {
                "thread_id": placed.message.thread_id,
                "in_reply_to": placed.message.in_reply_to,
                "references": placed.message.references,
                "subject": placed.message.subject,
            },
            "gate": state.gate.model_dump(mode="json"),
            "crm_note_id": state.crm_note_id,
            "approval": waiting.interrupts[0],
            "outcome": state.outcome.value if state.outcome else None,
            "mode": mode.value,
            "timezone": settings.timezone,
        }
