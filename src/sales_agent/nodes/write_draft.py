"""DraftWriterAgent: the reply, in the operator's voice (offline writer for now)."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.graph.context import FollowupContext, current_thread_id
from sales_agent.graph.state import FollowupState
from sales_agent.nodes.offline.writer import write_offline_draft
from sales_agent.services import current_services

__all__ = ["write_draft"]


def write_draft(state: FollowupState, runtime: Runtime[FollowupContext]) -> dict[str, Any]:
    """Compose the draft from the voice profile, the thread's facts and the slots."""
    services = current_services()
    assert state.identity is not None
    draft = write_offline_draft(
        identity=state.identity,
        thread=state.thread,
        slots=state.slots,
        voice=services.voice,
        timezone=services.settings.timezone,
        seed=current_thread_id(runtime),
    )
    return {"draft": draft}
