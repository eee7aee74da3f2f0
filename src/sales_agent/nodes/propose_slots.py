"""MeetingSlotAgent: 2-3 real openings from the operator's Calendar free/busy."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.connectors.google_calendar import propose_from_calendar
from sales_agent.graph.context import FollowupContext, run_clock
from sales_agent.graph.state import FollowupState
from sales_agent.services import current_services

__all__ = ["propose_slots"]


def propose_slots(state: FollowupState, runtime: Runtime[FollowupContext]) -> dict[str, Any]:
    """Query free/busy over the next business days and pick spread-out openings."""
    services = current_services()
    settings = services.settings
    slots = propose_from_calendar(
        services.connectors.calendar,
        settings.operator_email,
        run_clock(runtime),
        settings.slot_rules(),
    )
    return {"slots": slots}
