"""Meeting slots: well formed, and on the days and hours the lead said suit them.

Well formed: 2-3, in the future, apart, on weekdays, in working hours.
"""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import pairwise
from zoneinfo import ZoneInfo

from sales_agent.evals.trace import Trace
from sales_agent.evals.verdict import Verdict, na, verdict

__all__ = ["SLOT_EVALUATORS", "WORKING_HOURS"]

WORKING_HOURS = (time(9), time(17))
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _offers_slots(trace: Trace) -> bool:
    return trace.outputs.draft is not None and trace.outputs.action == "PROPOSE_CALL"


def valid(trace: Trace) -> Verdict:
    """A draft proposing a call offers 2-3 future, disjoint slots on weekdays in working hours."""
    name = "slots.valid"
    if not _offers_slots(trace):
        return na(name, "no call proposed in a draft")
    zone = ZoneInfo(trace.context.timezone)
    slots = sorted(trace.outputs.slots, key=lambda s: s.start)
    problems: list[str] = []
    if not 2 <= len(slots) <= 3:
        problems.append(f"{len(slots)} slots")
    for slot in slots:
        start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
        if slot.start <= trace.now:
            problems.append(f"{start:%a %H:%M} is not in the future")
        if start.weekday() >= 5:
            problems.append(f"{start:%a %d %b} is a weekend")
        if start.time() < WORKING_HOURS[0] or end.time() > WORKING_HOURS[1] or end <= start:
            problems.append(f"{start:%a %H:%M}-{end:%H:%M} is outside working hours")
    problems += [
        f"{a.start:%a %H:%M} overlaps the next" for a, b in pairwise(slots) if a.end > b.start
    ]
    return verdict(name, not problems, "; ".join(problems) or f"{len(slots)} slots")


def _on_day(start: datetime, days: list[str]) -> bool:
    for day in days:
        wanted = day.strip().casefold()
        if wanted[:3] in {d[:3] for d in _WEEKDAYS}:
            if _WEEKDAYS[start.weekday()].startswith(wanted[:3]):
                return True
        elif start.date() == date.fromisoformat(wanted):
            return True
    return False


def stated_times(trace: Trace) -> Verdict:
    """The slots fall on the days and within the hours the lead said suit them."""
    name = "slots.stated_times"
    days = trace.expect.get("slots_on")
    after, before = trace.expect.get("slots_after"), trace.expect.get("slots_before")
    if not (days or after or before):
        return na(name, "the lead stated no days or times")
    if trace.outputs.draft is None:
        return na(name, "no draft was written")
    if not trace.outputs.slots:
        return verdict(name, False, "no slots offered")
    zone = ZoneInfo(trace.context.timezone)
    misses: list[str] = []
    for slot in trace.outputs.slots:
        start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
        if days and not _on_day(start, days):
            misses.append(f"{start:%a %d %b} not on {days}")
        if after and start.time() < time.fromisoformat(after):
            misses.append(f"{start:%a %H:%M} before {after}")
        if before and end.time() > time.fromisoformat(before):
            misses.append(f"{start:%a %H:%M} ends after {before}")
    return verdict(name, not misses, "; ".join(misses) or "every slot as the lead asked")


SLOT_EVALUATORS = (valid, stated_times)
