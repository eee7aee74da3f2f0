"""Calendar v3 routes: freebusy.query."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from sales_agent.sandbox._deps import WorkspaceDep
from sales_agent.sandbox._errors import InvalidRequestError
from sales_agent.sandbox._formats import utc_timestamp

__all__ = ["router"]

router = APIRouter(prefix="/calendar/v3")


class _CalendarItem(BaseModel):
    id: str


class _FreeBusyRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    time_min: AwareDatetime = Field(alias="timeMin")
    time_max: AwareDatetime = Field(alias="timeMax")
    time_zone: str = Field(default="UTC", alias="timeZone")
    items: list[_CalendarItem] = []


@router.post("/freeBusy")
async def free_busy(workspace: WorkspaceDep, body: _FreeBusyRequest) -> dict[str, Any]:
    """freebusy.query: busy blocks per calendar, clipped to the window, in UTC."""
    if body.time_max <= body.time_min:
        raise InvalidRequestError("The specified time range is empty.", reason="timeRangeEmpty")
    calendars: dict[str, Any] = {}
    for item in body.items:
        busy = workspace.calendar.busy(item.id, body.time_min, body.time_max)
        calendars[item.id] = (
            {"busy": [{"start": utc_timestamp(b.start), "end": utc_timestamp(b.end)} for b in busy]}
            if busy is not None
            # Google reports an unknown calendar inside the answer, not as an HTTP error.
            else {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []}
        )
    return {
        "kind": "calendar#freeBusy",
        "timeMin": utc_timestamp(body.time_min, millis=True),
        "timeMax": utc_timestamp(body.time_max, millis=True),
        "calendars": calendars,
    }
