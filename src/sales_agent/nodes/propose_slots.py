"""MeetingSlotAgent: 2-3 real openings from the operator's Calendar free/busy."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from langgraph.runtime import Runtime

from sales_agent.graph.context import FollowupContext, run_clock
from sales_agent.graph.state import FollowupState
from sales_agent.services import current_services
from sales_agent.tools.meeting_slots import SlotRules, business_days_after, free_slots

__all__ = ["propose_slots"]


def propose_slots(state: FollowupState, runtime: Runtime[FollowupContext]) -> dict[str, Any]:
    """Query free/busy over the next business days and pick spread-out openings."""
    services = current_services()
    settings = services.settings
    rules = SlotRules(
        timezone=settings.timezone,
        day_start_hour=settings.working_hours_start,
        day_end_hour=settings.working_hours_end,
        days_ahead=settings.slot_days_ahead,
        holiday_country=settings.holiday_country,
    )
    now = run_clock(runtime)
    zone = ZoneInfo(rules.timezone)
    today = now.astimezone(zone).date()
    last_day = business_days_after(today, rules.days_ahead, rules.holiday_country)[-1]
    window_end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)
    calendar_id = settings.operator_email
    busy = services.connectors.calendar.free_busy([calendar_id], now, window_end, rules.timezone)
    intervals = [(block.start, block.end) for block in busy.get(calendar_id, [])]
    return {"slots": free_slots(intervals, now, rules)}
