"""MeetingSlotAgent: 2-3 real openings from the operator's Calendar free/busy."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.connectors.google_calendar import propose_from_calendar
from sales_agent.graph.context import FollowupContext, run_clock
from sales_agent.graph.state import FollowupState
from sales_agent.services import ServicesProvider

__all__ = ["propose_slots"]


def propose_slots(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Query free/busy over the next business days and pick spread-out openings."""
    svc = services()
    settings = svc.settings
    slots = propose_from_calendar(
        svc.connectors.calendar,
        settings.operator_email,
        run_clock(runtime),
        settings.slot_rules(),
    )
    return {"slots": slots}
