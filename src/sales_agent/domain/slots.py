"""Meeting slots from free/busy: 30-minute openings in the next business days.

Pure functions over busy intervals, so the same rules serve the node and a read-only tool.
Rules: working hours in the operator's time zone, weekends and public holidays skipped,
never overlapping a busy block, earliest day and time first, spread across days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from pydantic import Field

from sales_agent.domain._model import Frozen

__all__ = [
    "ProposedSlot",
    "SlotRules",
    "business_days_after",
    "first_of_each_weekday",
    "format_slot_list",
    "free_slots",
    "honouring",
    "nearest_to",
    "slot_window",
    "spread_out",
]

Interval = tuple[datetime, datetime]


class ProposedSlot(Frozen):
    """A free 30-minute meeting slot from the operator's calendar."""

    start: datetime
    end: datetime
    reason: str = Field(description="Why this slot, for the operator.")


@dataclass(frozen=True)
class SlotRules:
    """Where and when slots may fall."""

    timezone: str
    day_start_hour: int = 9
    day_end_hour: int = 17
    days_ahead: int = 3
    holiday_country: str = "GB"
    duration: timedelta = timedelta(minutes=30)
    step: timedelta = timedelta(minutes=30)
    wanted: int = 3
    spacing: timedelta = timedelta(hours=2)
    """The least time between two slots offered on the same day."""


def business_days_after(today: date, count: int, country: str) -> list[date]:
    """The next `count` business days after `today` (weekends and public holidays skipped)."""
    public = holidays.country_holidays(country, years=range(today.year, today.year + 2))
    days: list[date] = []
    day = today
    while len(days) < count:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in public:
            days.append(day)
    return days


def _overlaps(start: datetime, end: datetime, busy: Sequence[Interval]) -> bool:
    return any(start < busy_end and busy_start < end for busy_start, busy_end in busy)


def _openings(
    day: date, rules: SlotRules, busy: Sequence[Interval], now: datetime
) -> list[Interval]:
    zone = ZoneInfo(rules.timezone)
    cursor = datetime.combine(day, time(rules.day_start_hour), tzinfo=zone)
    day_end = datetime.combine(day, time(0), tzinfo=zone) + timedelta(hours=rules.day_end_hour)
    openings: list[Interval] = []
    while cursor + rules.duration <= day_end:
        end = cursor + rules.duration
        if cursor > now and not _overlaps(cursor, end, busy):
            openings.append((cursor, end))
        cursor += rules.step
    return openings


def _reason(start: datetime, rank_on_day: int, first_day: date) -> str:
    part = "morning" if start.hour < 12 else "afternoon"
    when = "first business day" if start.date() == first_day else start.strftime("%A")
    if rank_on_day == 0:
        return f"Earliest free 30 minutes on the {part} of your {when}, clear of meetings."
    return f"Another free {part} opening on your {when}, kept apart from the earlier slot."


def _spread(
    per_day: Sequence[tuple[date, Sequence[Interval]]], wanted: int, spacing: timedelta
) -> list[tuple[datetime, datetime, int]]:
    """Up to `wanted` openings, each with its rank on its day, in time order.

    Round-robin over days: pass 0 takes each day's earliest opening, pass N the next one at
    least `spacing` from those already taken that day, so slots spread across days.
    """
    chosen: list[tuple[datetime, datetime, int]] = []
    for rank in range(wanted):
        for day, openings in per_day:
            taken = [start for start, _, _ in chosen if start.date() == day]
            if len(chosen) == wanted or len(taken) != rank:
                continue
            pick = next((o for o in openings if all(abs(o[0] - t) >= spacing for t in taken)), None)
            if pick is not None:
                chosen.append((pick[0], pick[1], rank))
    return sorted(chosen, key=lambda item: item[0])


def free_slots(busy: Sequence[Interval], now: datetime, rules: SlotRules) -> list[ProposedSlot]:
    """Up to `rules.wanted` slots: one per day first (earliest), then more on the same days.

    Returns fewer only when the calendar has fewer openings; an empty list means no
    availability at all, which the planner handles.
    """
    zone = ZoneInfo(rules.timezone)
    days = business_days_after(now.astimezone(zone).date(), rules.days_ahead, rules.holiday_country)
    per_day = [(day, _openings(day, rules, busy, now)) for day in days]
    first_day = days[0]
    return [
        ProposedSlot(start=start, end=end, reason=_reason(start, rank, first_day))
        for start, end, rank in _spread(per_day, rules.wanted, rules.spacing)
    ]


def first_of_each_weekday(slots: Sequence[ProposedSlot], timezone: str) -> list[ProposedSlot]:
    """`slots` on the first date each weekday has any: "Tuesday" is the coming Tuesday.

    A lead who asks for "Tuesday afternoon" means the next one; a later Tuesday is offered
    only when the next has nothing free.
    """
    zone = ZoneInfo(timezone)

    def local_day(slot: ProposedSlot) -> date:
        return slot.start.astimezone(zone).date()

    first: dict[int, date] = {}
    for day in sorted(map(local_day, slots)):
        first.setdefault(day.weekday(), day)
    return [slot for slot in slots if first[local_day(slot).weekday()] == local_day(slot)]


def nearest_to(
    slots: Sequence[ProposedSlot],
    timezone: str,
    *,
    earliest: time | None = None,
    latest: time | None = None,
) -> list[ProposedSlot]:
    """`slots` ordered by how far they fall outside the times `earliest` to `latest`.

    Slots inside the times come first (earliest first), then the ones nearest to them: a lead
    who asked for "Thursday after 4" and finds it taken is better offered Thursday 15:30
    than Friday morning.
    """
    zone = ZoneInfo(timezone)

    def minutes_outside(slot: ProposedSlot) -> int:
        start, end = slot.start.astimezone(zone).time(), slot.end.astimezone(zone).time()
        too_early = _minutes(earliest) - _minutes(start) if earliest is not None else 0
        too_late = _minutes(end) - _minutes(latest) if latest is not None else 0
        return max(0, too_early) + max(0, too_late)

    return sorted(slots, key=lambda slot: (minutes_outside(slot), slot.start))


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def spread_out(
    slots: Sequence[ProposedSlot], wanted: int, spacing: timedelta
) -> list[ProposedSlot]:
    """Up to `wanted` of `slots`, spread across their days as `free_slots` spreads openings.

    When spreading leaves fewer than `wanted`, the earliest of the rest fill in: a lead who
    asked for "Tuesday between 2 and 3" is offered 14:00 and 14:30 rather than one time.
    """
    by_start = {slot.start: slot for slot in slots}
    days = sorted({slot.start.date() for slot in slots})
    per_day = [
        (day, sorted((s.start, s.end) for s in slots if s.start.date() == day)) for day in days
    ]
    chosen = [by_start[start] for start, _, _ in _spread(per_day, wanted, spacing)]
    rest = sorted((s for s in slots if s not in chosen), key=lambda s: s.start)
    return sorted(chosen + rest[: wanted - len(chosen)], key=lambda s: s.start)


def slot_window(now: datetime, rules: SlotRules) -> tuple[datetime, datetime]:
    """From `now` to the end of the last business day slots may fall on."""
    zone = ZoneInfo(rules.timezone)
    today = now.astimezone(zone).date()
    last_day = business_days_after(today, rules.days_ahead, rules.holiday_country)[-1]
    return now, datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)


def format_slot_list(slots: Sequence[ProposedSlot], timezone: str) -> str:
    """Human list for an email: 'Tue 25 Nov at 10:00, Wed 26 Nov at 14:30 or ... (London time)'."""
    zone = ZoneInfo(timezone)
    labels = [
        f"{s.start.astimezone(zone):%a %-d %b} at {s.start.astimezone(zone):%H:%M}" for s in slots
    ]
    joined = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
    city = timezone.rsplit("/", 1)[-1].replace("_", " ")
    return f"{joined} ({city} time)"


def honouring(
    slots: Sequence[ProposedSlot],
    timezone: str,
    *,
    days: Sequence[str] = (),
    earliest: time | None = None,
    latest: time | None = None,
) -> list[ProposedSlot]:
    """The slots that fall on the lead's weekdays and inside their times (local to `timezone`).

    `days` are English weekday names; a slot must start at or after `earliest` and end by
    `latest` when they are given.
    """
    zone = ZoneInfo(timezone)
    kept = []
    for slot in slots:
        start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
        if days and start.strftime("%A") not in days:
            continue
        if earliest is not None and start.time() < earliest:
            continue
        if latest is not None and end.time() > latest:
            continue
        kept.append(slot)
    return kept
