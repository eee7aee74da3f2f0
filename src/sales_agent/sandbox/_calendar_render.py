"""Calendar v3 resources (Event, Events, FreeBusy busy periods) rendered from the store."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sales_agent.sandbox._calendar_store import Calendar, Event, Person
from sales_agent.sandbox._errors import InvalidRequestError
from sales_agent.sandbox._formats import utc_timestamp

__all__ = ["render_event", "render_events", "rfc3339", "zone_named"]


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone `name`; an unknown one is the client's mistake (400)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidRequestError(f"Invalid time zone: {name}", reason="invalid") from exc


def rfc3339(moment: datetime, zone: ZoneInfo) -> str:
    """Format in `zone` with its offset, spelling a zero offset `Z` as Calendar does."""
    local = moment.astimezone(zone).isoformat(timespec="seconds")
    return local.removesuffix("+00:00") + "Z" if local.endswith("+00:00") else local


def _etag(*parts: str) -> str:
    digest = hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()
    return f'"{int(digest[:15], 16)}"'


def _person(person: Person, calendar: Calendar, *, organizer: bool = False) -> dict[str, Any]:
    rendered: dict[str, Any] = {"email": person.email}
    if person.name:
        rendered["displayName"] = person.name
    if organizer:
        rendered["organizer"] = True
    if person.email == calendar.id:
        rendered["self"] = True
    return rendered


def render_event(event: Event, calendar: Calendar, zone: ZoneInfo) -> dict[str, Any]:
    """An Event resource as events.list returns it, times in `zone`."""
    eid = base64.urlsafe_b64encode(f"{event.id} {calendar.id}".encode()).decode().rstrip("=")
    created = utc_timestamp(event.created or event.start, millis=True)
    rendered: dict[str, Any] = {
        "kind": "calendar#event",
        "etag": _etag(event.id, created),
        "id": event.id,
        "status": "confirmed",
        "htmlLink": f"https://www.google.com/calendar/event?eid={eid}",
        "created": created,
        "updated": created,
        "summary": event.summary,
        "creator": _person(event.organizer, calendar),
        "organizer": _person(event.organizer, calendar),
        "start": {"dateTime": rfc3339(event.start, zone), "timeZone": calendar.time_zone},
        "end": {"dateTime": rfc3339(event.end, zone), "timeZone": calendar.time_zone},
        "iCalUID": f"{event.id}@google.com",
        "sequence": 0,
        "reminders": {"useDefault": True},
        "eventType": "default",
    }
    if event.description:
        rendered["description"] = event.description
    if event.location:
        rendered["location"] = event.location
    if event.transparent:
        rendered["transparency"] = "transparent"  # Google omits the default, "opaque"
    if event.attendees:
        organizer = event.organizer.email
        rendered["attendees"] = [
            {
                **_person(person, calendar, organizer=person.email == organizer),
                "responseStatus": "accepted",
            }
            for person in event.attendees
        ]
    return rendered


def render_events(
    calendar: Calendar,
    items: list[dict[str, Any]],
    *,
    owner: bool,
    next_page_token: str | None,
) -> dict[str, Any]:
    """An Events page; `owner` is whether the caller owns the calendar (its access role)."""
    page: dict[str, Any] = {
        "kind": "calendar#events",
        "etag": _etag(calendar.id, *(item["id"] for item in items)),
        "summary": calendar.id,
        "description": "",
        "timeZone": calendar.time_zone,
        "accessRole": "owner" if owner else "reader",
        "defaultReminders": [{"method": "popup", "minutes": 10}] if owner else [],
        "items": items,
    }
    changes = [event.created or event.start for event in calendar.events]
    if changes:
        page["updated"] = utc_timestamp(max(changes), millis=True)
    if next_page_token:
        page["nextPageToken"] = next_page_token
    return page
