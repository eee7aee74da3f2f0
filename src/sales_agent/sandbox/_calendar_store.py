"""Calendars and their events, kept in UTC; free/busy is derived from the events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["BusyBlock", "Calendar", "CalendarStore", "Event", "Person"]


@dataclass(frozen=True)
class BusyBlock:
    """One busy interval, aware datetimes in UTC."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Person:
    """An organizer or attendee."""

    email: str
    name: str = ""


@dataclass(frozen=True)
class Event:
    """A single (non-recurring) timed event; `transparent` ones do not block time."""

    id: str
    summary: str
    start: datetime
    end: datetime
    organizer: Person
    attendees: tuple[Person, ...] = ()
    location: str | None = None
    description: str | None = None
    transparent: bool = False
    created: datetime | None = None

    def matches(self, text: str) -> bool:
        """True when `text` appears in the title, description or location (any case)."""
        wanted = text.casefold()
        fields = (self.summary, self.description or "", self.location or "")
        return any(wanted in part.casefold() for part in fields)


@dataclass
class Calendar:
    """One calendar: its owner's address as id, its home time zone and its events."""

    id: str
    time_zone: str
    events: list[Event] = field(default_factory=list)


@dataclass
class CalendarStore:
    """Calendars by id; `aliases` maps names such as `primary` to a calendar id."""

    calendars: dict[str, Calendar] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def get(self, calendar_id: str) -> Calendar | None:
        """The calendar addressed by id or alias; None when unknown."""
        return self.calendars.get(self.aliases.get(calendar_id, calendar_id))

    def events(
        self, calendar_id: str, start: datetime | None = None, end: datetime | None = None
    ) -> list[Event] | None:
        """Events overlapping [start, end) (open-ended without a bound), by start time.

        None for an unknown calendar.
        """
        calendar = self.get(calendar_id)
        if calendar is None:
            return None
        found = [
            event
            for event in calendar.events
            if (start is None or event.end > start) and (end is None or event.start < end)
        ]
        return sorted(found, key=lambda e: (e.start, e.end, e.id))

    def busy(self, calendar_id: str, start: datetime, end: datetime) -> list[BusyBlock] | None:
        """Merged busy time within [start, end), clipped to it; None for an unknown calendar."""
        events = self.events(calendar_id, start, end)
        if events is None:
            return None
        merged: list[BusyBlock] = []
        for event in events:
            if event.transparent:
                continue
            block = BusyBlock(max(event.start, start), min(event.end, end))
            # Like Google, back-to-back or overlapping events read as one busy stretch.
            if merged and block.start <= merged[-1].end:
                last = merged.pop()
                block = BusyBlock(last.start, max(last.end, block.end))
            merged.append(block)
        return merged
