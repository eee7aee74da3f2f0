"""Calendar connector: free/busy for meeting slots, and the events of a calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sales_agent.connectors.google_api import GoogleService, execute
from sales_agent.connectors.records import BusyInterval, CalendarEvent, EmailAddress
from sales_agent.connectors.retry import DEFAULT_RETRY, RetryPolicy
from sales_agent.domain.slots import ProposedSlot, SlotRules, free_slots, slot_window
from sales_agent.errors import ConnectorError

__all__ = ["CalendarClient", "propose_from_calendar"]

_SERVICE = "calendar"
_PAGE_SIZE = 250


def _utc(moment: datetime, name: str) -> str:
    if moment.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment.isoformat()}")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _moment(when: dict[str, Any], zone: ZoneInfo) -> tuple[datetime, bool]:
    """An event boundary in UTC, and whether it is all-day (a `date` read in `zone`)."""
    if "dateTime" in when:
        return datetime.fromisoformat(when["dateTime"]).astimezone(UTC), False
    day = date.fromisoformat(when["date"])
    return datetime.combine(day, time(0), zone).astimezone(UTC), True


def _person(raw: dict[str, Any]) -> EmailAddress:
    return EmailAddress(email=raw.get("email", ""), name=raw.get("displayName", ""))


def _event(raw: dict[str, Any], zone: ZoneInfo) -> CalendarEvent:
    start, all_day = _moment(raw["start"], zone)
    end, _ = _moment(raw["end"], zone)
    return CalendarEvent(
        id=raw["id"],
        summary=raw.get("summary", ""),
        start=start,
        end=end,
        all_day=all_day,
        busy=raw.get("transparency", "opaque") != "transparent",
        organizer=_person(raw["organizer"]) if "organizer" in raw else None,
        attendees=[_person(a) for a in raw.get("attendees", [])],
        location=raw.get("location"),
        html_link=raw.get("htmlLink"),
    )


class CalendarClient:
    """Calendars through the Calendar v3 API."""

    def __init__(self, service: GoogleService, *, retry: RetryPolicy = DEFAULT_RETRY) -> None:
        self._service = service
        self._retry = retry

    def free_busy(
        self,
        calendar_ids: list[str],
        time_min: datetime,
        time_max: datetime,
        time_zone: str,
    ) -> dict[str, list[BusyInterval]]:
        """Busy intervals per calendar within [time_min, time_max), as aware UTC datetimes.

        A calendar Google cannot read raises `ConnectorError` rather than looking free.
        """
        body = {
            "timeMin": _utc(time_min, "time_min"),
            "timeMax": _utc(time_max, "time_max"),
            "timeZone": time_zone,
            "items": [{"id": calendar_id} for calendar_id in calendar_ids],
        }
        request = self._service.freebusy().query(body=body)
        calendars = execute(_SERVICE, request, retry=self._retry).get("calendars", {})
        busy: dict[str, list[BusyInterval]] = {}
        for calendar_id in calendar_ids:
            answer = calendars.get(calendar_id)
            if answer is None or answer.get("errors"):
                reasons = [e.get("reason") for e in (answer or {}).get("errors", [])]
                raise ConnectorError(_SERVICE, f"cannot read free/busy of {calendar_id}: {reasons}")
            busy[calendar_id] = [
                BusyInterval(
                    start=datetime.fromisoformat(block["start"]).astimezone(UTC),
                    end=datetime.fromisoformat(block["end"]).astimezone(UTC),
                )
                for block in answer.get("busy", [])
            ]
        return busy

    def list_events(
        self, calendar_id: str, time_min: datetime, time_max: datetime
    ) -> list[CalendarEvent]:
        """Events overlapping [time_min, time_max), recurring ones expanded, by start time.

        Cancelled events are left out; an unknown calendar raises `ConnectorError` (404).
        """
        params = {
            "calendarId": calendar_id,
            "timeMin": _utc(time_min, "time_min"),
            "timeMax": _utc(time_max, "time_max"),
            "singleEvents": True,
            "orderBy": "startTime",
            "maxResults": _PAGE_SIZE,
        }
        events: list[CalendarEvent] = []
        token: str | None = None
        while True:
            request = self._service.events().list(**params, pageToken=token)
            page = execute(_SERVICE, request, retry=self._retry)
            # All-day events carry a bare date, read in the calendar's own zone.
            zone = ZoneInfo(page.get("timeZone") or "UTC")
            events.extend(
                _event(raw, zone)
                for raw in page.get("items", [])
                if raw.get("status") != "cancelled"
            )
            token = page.get("nextPageToken")
            if not token:
                return events


def propose_from_calendar(
    calendar: CalendarClient, calendar_id: str, now: datetime, rules: SlotRules
) -> list[ProposedSlot]:
    """Query free/busy over the slot window and pick spread-out openings."""
    start, end = slot_window(now, rules)
    busy = calendar.free_busy([calendar_id], start, end, rules.timezone)
    intervals = [(block.start, block.end) for block in busy.get(calendar_id, [])]
    return free_slots(intervals, now, rules)
