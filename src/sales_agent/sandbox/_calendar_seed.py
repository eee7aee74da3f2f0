"""The calendar section of the seed (`data/calendar.json`) and the store built from it.

Each calendar has a list of day plans; a business day takes the plan at
`date.toordinal() % len(plans)`, so a given date looks the same whatever the start date.
Calendars with the same number of plans line up, which keeps shared meetings on the same day
in every attendee's calendar.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from sales_agent.sandbox._calendar_store import Calendar, CalendarStore, Event, Person

__all__ = ["SeedCalendars", "build_calendars"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _SeedPerson(_Model):
    email: str
    name: str = ""


class _SeedEvent(_Model):
    start: time
    end: time
    summary: str
    organizer: _SeedPerson | None = Field(default=None, description="None: the owner.")
    attendees: list[_SeedPerson] = []
    location: str | None = None
    description: str | None = None
    transparent: bool = False


class _SeedCalendar(_Model):
    id: str
    name: str
    time_zone: str
    days_behind: int = Field(default=0, ge=0)
    days_ahead: int = Field(ge=1)
    day_plans: list[list[_SeedEvent]] = Field(min_length=1)


class SeedCalendars(_Model):
    """Every calendar of the workspace."""

    calendars: list[_SeedCalendar]


def _event_id(organizer: str, start: datetime, summary: str) -> str:
    # The same meeting gets the same id in every attendee's calendar (whatever its time
    # zone), as in Google.
    key = f"{organizer}|{start.isoformat()}|{summary}"
    # Hex digits are valid base32hex, the alphabet Google allows in event ids.
    return hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:26]


def _events_on(calendar: _SeedCalendar, day: date) -> list[Event]:
    zone = ZoneInfo(calendar.time_zone)
    plan = calendar.day_plans[day.toordinal() % len(calendar.day_plans)]
    owner = Person(calendar.id, calendar.name)
    events = []
    for seeded in plan:
        organizer = (
            Person(seeded.organizer.email, seeded.organizer.name) if seeded.organizer else owner
        )
        start = datetime.combine(day, seeded.start, zone).astimezone(UTC)
        events.append(
            Event(
                id=_event_id(organizer.email, start, seeded.summary),
                summary=seeded.summary,
                start=start,
                end=datetime.combine(day, seeded.end, zone).astimezone(UTC),
                organizer=organizer,
                attendees=tuple(Person(a.email, a.name) for a in seeded.attendees),
                location=seeded.location,
                description=seeded.description,
                transparent=seeded.transparent,
                created=start - timedelta(days=9, hours=3),
            )
        )
    return events


def _calendar(calendar: _SeedCalendar, now: datetime) -> Calendar:
    today = now.astimezone(ZoneInfo(calendar.time_zone)).date()
    events: list[Event] = []
    for offset in range(-calendar.days_behind, calendar.days_ahead):
        day = today + timedelta(days=offset)
        if day.weekday() < 5:
            events.extend(_events_on(calendar, day))
    return Calendar(id=calendar.id, time_zone=calendar.time_zone, events=events)


def build_calendars(seed: SeedCalendars, now: datetime, *, primary: str) -> CalendarStore:
    """Build every calendar around `now`; the alias `primary` names the operator's."""
    return CalendarStore(
        calendars={cal.id: _calendar(cal, now) for cal in seed.calendars},
        aliases={"primary": primary},
    )
