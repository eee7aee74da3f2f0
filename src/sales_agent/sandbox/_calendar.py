"""Calendar v3 routes: freebusy.query and events.list."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from sales_agent.sandbox._calendar_render import render_event, render_events, rfc3339, zone_named
from sales_agent.sandbox._deps import WorkspaceDep
from sales_agent.sandbox._errors import InvalidRequestError, NotFoundError
from sales_agent.sandbox._formats import page_offset, page_token, utc_timestamp

__all__ = ["router"]

router = APIRouter(prefix="/calendar/v3")

# Google answers at most this many calendars per freeBusy query; the rest get an error.
_CALENDAR_EXPANSION_MAX = 50
_MAX_RESULTS = 2500


class _CalendarItem(BaseModel):
    id: str


class _FreeBusyRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    time_min: AwareDatetime = Field(alias="timeMin")
    time_max: AwareDatetime = Field(alias="timeMax")
    time_zone: str = Field(default="UTC", alias="timeZone")
    calendar_expansion_max: int = Field(
        default=_CALENDAR_EXPANSION_MAX,
        ge=1,
        le=_CALENDAR_EXPANSION_MAX,
        alias="calendarExpansionMax",
    )
    items: list[_CalendarItem] = []


def _error(reason: str) -> dict[str, Any]:
    return {"errors": [{"domain": "global", "reason": reason}], "busy": []}


@router.post("/freeBusy")
async def free_busy(workspace: WorkspaceDep, body: _FreeBusyRequest) -> dict[str, Any]:
    """freebusy.query: merged busy periods per calendar, clipped to the window, in `timeZone`."""
    if body.time_max <= body.time_min:
        raise InvalidRequestError("The specified time range is empty.", reason="timeRangeEmpty")
    zone = zone_named(body.time_zone)
    calendars: dict[str, Any] = {}
    for index, item in enumerate(body.items):
        if index >= body.calendar_expansion_max:
            calendars[item.id] = _error("tooManyCalendarsRequested")
            continue
        busy = workspace.calendar.busy(item.id, body.time_min, body.time_max)
        # Google reports an unknown calendar inside the answer, not as an HTTP error.
        calendars[item.id] = (
            {"busy": [{"start": rfc3339(b.start, zone), "end": rfc3339(b.end, zone)} for b in busy]}
            if busy is not None
            else _error("notFound")
        )
    return {
        "kind": "calendar#freeBusy",
        "timeMin": utc_timestamp(body.time_min, millis=True),
        "timeMax": utc_timestamp(body.time_max, millis=True),
        "calendars": calendars,
    }


@router.get("/calendars/{calendar_id}/events")
async def list_events(
    workspace: WorkspaceDep,
    calendar_id: str,
    time_min: Annotated[AwareDatetime | None, Query(alias="timeMin")] = None,
    time_max: Annotated[AwareDatetime | None, Query(alias="timeMax")] = None,
    single_events: Annotated[bool, Query(alias="singleEvents")] = False,
    order_by: Annotated[Literal["startTime", "updated"] | None, Query(alias="orderBy")] = None,
    max_results: Annotated[int, Query(alias="maxResults", ge=1, le=_MAX_RESULTS)] = 250,
    token: Annotated[str | None, Query(alias="pageToken")] = None,
    text: Annotated[str | None, Query(alias="q")] = None,
    time_zone: Annotated[str | None, Query(alias="timeZone")] = None,
) -> dict[str, Any]:
    """events.list: events overlapping [timeMin, timeMax), paged."""
    calendar = workspace.calendar.get(calendar_id)
    events = workspace.calendar.events(calendar_id, time_min, time_max)
    if calendar is None or events is None:
        raise NotFoundError("Not Found")
    if order_by == "startTime" and not single_events:
        raise InvalidRequestError(
            "The requested ordering is not available for the particular query.",
            reason="badRequest",
        )
    if time_min is not None and time_max is not None and time_max <= time_min:
        raise InvalidRequestError("The specified time range is empty.", reason="timeRangeEmpty")
    if text:
        events = [event for event in events if event.matches(text)]
    if order_by == "updated":
        events.sort(key=lambda e: (e.created or e.start, e.id))
    offset = page_offset(token)
    page = events[offset : offset + max_results]
    more = offset + max_results < len(events)
    zone = zone_named(time_zone or calendar.time_zone)
    return render_events(
        calendar,
        [render_event(event, calendar, zone) for event in page],
        owner=calendar.id == workspace.operator.email,
        next_page_token=page_token(offset + max_results) if more else None,
    )
