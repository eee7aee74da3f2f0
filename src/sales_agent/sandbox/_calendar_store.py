"""Busy time per calendar, kept in UTC."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["BusyBlock", "CalendarStore"]


@dataclass(frozen=True)
class BusyBlock:
    """One busy interval, aware datetimes in UTC."""

    start: datetime
    end: datetime


@dataclass
class CalendarStore:
    """Calendars by id; `aliases` maps names such as `primary` to a calendar id."""

    calendars: dict[str, list[BusyBlock]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)

    def busy(self, calendar_id: str, start: datetime, end: datetime) -> list[BusyBlock] | None:
        """Busy blocks overlapping [start, end), clipped to it; None for an unknown calendar."""
        blocks = self.calendars.get(self.aliases.get(calendar_id, calendar_id))
        if blocks is None:
            return None
        return [
            BusyBlock(max(block.start, start), min(block.end, end))
            for block in sorted(blocks, key=lambda b: b.start)
            if block.start < end and block.end > start
        ]
