"""TriggerAgent: accepts the event that started the run and records it.

A thread whose last run ended and that receives a newer message starts its next draft
version here, so none of the old draft's keys, records or decisions carry over.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.graph.context import FollowupContext, current_thread_id, run_context
from sales_agent.graph.state import FollowupState, next_draft_version
from sales_agent.policy.audit import record_event
from sales_agent.services import current_services

__all__ = ["trigger"]


def trigger(state: FollowupState, runtime: Runtime[FollowupContext]) -> dict[str, Any]:
    """Audit the trigger (its shape was validated by the input schema); start a new version."""
    with current_services().pool.connection() as conn:
        record_event(
            conn,
            actor=run_context(runtime).actor,
            action="trigger_received",
            thread_id=current_thread_id(runtime),
            contact_email=state.trigger.contact_email,
            reason=f"{state.trigger.source} trigger",
            metadata={"source": state.trigger.source},
        )
    return next_draft_version(state) if state.outcome is not None else {}
