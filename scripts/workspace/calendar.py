"""The calendars: the operator's and two colleagues', as day plans.

The sandbox gives a business day the plan at `date.toordinal() % PLANS` (see
`sales_agent.sandbox._calendar_seed`). Every calendar has PLANS plans, so a meeting shared by
colleagues falls on the same day in each of their calendars; PLANS is prime to 7, so a weekday
does not always get the same plan. Every plan keeps at least an hour free inside 09:00-17:00.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from scripts.workspace.cast import Cast, Company, Contact

PLANS = 12
DAYS_BEHIND = 14
DAYS_AHEAD = 35
_WORK_START, _WORK_END = 9 * 60, 17 * 60
_MAX_BUSY_IN_HOURS = 5 * 60 + 30
_MIN_FREE_GAP = 60

# (email, display name, IANA zone, offset in minutes from London). The UK and the EU change
# clocks on the same dates, so Madrid stays one hour ahead of London all year.
_TEAM = {
    "dana": ("dana@chaingepartners.example", "Dana Reyes", "Europe/London", 0),
    "tomas": ("tomas@chaingepartners.example", "Tomás Reid", "Europe/Madrid", 60),
    "amara": ("amara@chaingepartners.example", "Amara Okafor", "Europe/London", 0),
}
_OWNER_OF = {"301": "dana", "302": "tomas", "303": "amara"}

_CLIENT_TOPICS = [
    "weekly ops check-in",
    "steering group",
    "month-end KPI review",
    "dispatch workshop",
    "warehouse walkthrough (remote)",
    "savings tracker review",
]
_LEAD_TOPICS = ["Discovery call", "Intro call", "Scoping call", "Follow-up call"]
_FOCUS = ["Focus: proposal writing", "Focus: client report", "Focus: case study edits"]
_LOCATIONS = ["Google Meet", "Google Meet", "Zoom", "Phone"]


@dataclass
class _Meeting:
    start: int  # minutes after local midnight, London time
    end: int
    summary: str
    organizer: str = "dana"
    attendees: list[dict[str, str]] = field(default_factory=list)
    location: str | None = None
    description: str | None = None
    transparent: bool = False


def _person(member: str) -> dict[str, str]:
    email, name, _, _ = _TEAM[member]
    return {"email": email, "name": name}


def _contact(contact: Contact) -> dict[str, str]:
    return {"email": contact.email, "name": contact.name}


def _company(cast: Cast, name: str) -> Company:
    return next(c for c in cast.companies if c.name == name)


def _fits(plan: list[_Meeting], meeting: _Meeting) -> bool:
    """No overlap, and the working day keeps its free time (free-time holds always fit)."""
    if meeting.transparent:
        return True
    taken = [m for m in plan if not m.transparent]
    if any(meeting.start < m.end and m.start < meeting.end for m in taken):
        return False
    blocks = sorted((m.start, m.end) for m in [*taken, meeting])
    inside = [(max(s, _WORK_START), min(e, _WORK_END)) for s, e in blocks]
    inside = [(s, e) for s, e in inside if s < e]
    if sum(e - s for s, e in inside) > _MAX_BUSY_IN_HOURS:
        return False
    edges = [_WORK_START, *(t for block in inside for t in block), _WORK_END]
    gaps = [edges[i + 1] - edges[i] for i in range(0, len(edges), 2)]
    return max(gaps) >= _MIN_FREE_GAP


def _place(plans: dict[str, list[_Meeting]], meeting: _Meeting, members: list[str]) -> bool:
    if not all(_fits(plans[member], meeting) for member in members):
        return False
    for member in members:
        plans[member].append(meeting)
    return True


def _internal(rng: random.Random, index: int, plans: dict[str, list[_Meeting]]) -> None:
    """Meetings between colleagues, in every participant's calendar."""
    everyone = list(_TEAM)
    if index % 3 == 0:
        review = _Meeting(16 * 60, 16 * 60 + 45, "Pipeline review", "dana", location="Google Meet")
        review.attendees = [_person(m) for m in everyone]
        _place(plans, review, everyone)
    if index % 4 == 1:
        start = rng.choice([10 * 60, 11 * 60 + 30, 15 * 60])
        one_to_one = _Meeting(start, start + 30, "Dana / Tomás 1:1", "tomas")
        one_to_one.attendees = [_person("tomas"), _person("dana")]
        _place(plans, one_to_one, ["dana", "tomas"])
    if index % 5 == 2:
        start = rng.choice([13 * 60 + 30, 14 * 60])
        pair = _Meeting(start, start + 60, "Proposal review with Amara", "amara")
        pair.attendees = [_person("amara"), _person("dana")]
        _place(plans, pair, ["dana", "amara"])


def _client_meeting(rng: random.Random, member: str, company: Company, cast: Cast) -> _Meeting:
    contacts = cast.contacts_at(company.id)
    guests = rng.sample(contacts, k=rng.choice([1, 1, 2]))
    duration = rng.choice([30, 45, 60, 60, 90])
    start = rng.choice(range(9 * 60, 17 * 60 - duration + 1, 15))
    if company.lifecycle_stage in ("customer", "opportunity"):
        summary = f"{company.name}: {rng.choice(_CLIENT_TOPICS)}"
    else:
        summary = f"{rng.choice(_LEAD_TOPICS)}: {company.name}"
    return _Meeting(
        start,
        start + duration,
        summary,
        member,
        attendees=[_person(member), *(_contact(c) for c in guests)],
        location=rng.choice(_LOCATIONS),
    )


def _edges_of_day(rng: random.Random, index: int, cast: Cast) -> list[_Meeting]:
    """The operator's early-morning and late-afternoon calls, on some days."""
    meetings = []
    if index % 3 == 1:
        fjord = _company(cast, "Fjordline Seafood")  # an hour ahead in Bergen: mornings suit them
        meetings.append(
            _Meeting(
                8 * 60,
                8 * 60 + 30,
                f"{fjord.name}: early sync",
                attendees=[_person("dana"), _contact(cast.contacts_at(fjord.id)[0])],
                location="Google Meet",
            )
        )
    if index % 4 == 2:
        meetings.append(_Meeting(8 * 60 + 15, 8 * 60 + 45, "School run"))
    if index % 3 == 2:
        start = rng.choice([17 * 60, 17 * 60 + 15, 17 * 60 + 30])
        atlas = _company(cast, "Atlas Cold Chain")
        meetings.append(
            _Meeting(
                start,
                start + 45,
                f"{atlas.name}: end-of-day steering call",
                attendees=[_person("dana"), _contact(cast.contacts_at(atlas.id)[1])],
                location="Zoom",
            )
        )
    if index == 7:
        meetings.append(
            _Meeting(
                9 * 60,
                17 * 60,
                "Hold: Brightwater Health site visit (tentative)",
                description="Pencilled in; confirm with their ops team before booking trains.",
                transparent=True,
            )
        )
    return meetings


def _plans(cast: Cast) -> list[dict[str, list[_Meeting]]]:
    rng = random.Random(20261125)
    books = {
        member: [c for c in cast.companies if _OWNER_OF[c.owner_id] == member and c.id != "2001"]
        for member in _TEAM
    }
    days = []
    for index in range(PLANS):
        plans: dict[str, list[_Meeting]] = {member: [] for member in _TEAM}
        for meeting in _edges_of_day(rng, index, cast):
            _place(plans, meeting, ["dana"])
        _internal(rng, index, plans)
        for member in _TEAM:
            wanted = rng.randint(2, 4)
            for _ in range(12):
                if sum(not m.transparent for m in plans[member]) >= wanted + 1:
                    break
                meeting = _client_meeting(rng, member, rng.choice(books[member]), cast)
                if rng.random() < 0.2:
                    meeting = _Meeting(meeting.start, meeting.end, rng.choice(_FOCUS), member)
                _place(plans, meeting, [member])
        days.append(plans)
    return days


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _event(meeting: _Meeting, member: str) -> dict[str, Any]:
    shift = _TEAM[member][3]
    event: dict[str, Any] = {
        "start": _clock(meeting.start + shift),
        "end": _clock(meeting.end + shift),
        "summary": meeting.summary,
    }
    if meeting.organizer != member:
        event["organizer"] = _person(meeting.organizer)
    for key in ("attendees", "location", "description"):
        if getattr(meeting, key):
            event[key] = getattr(meeting, key)
    if meeting.transparent:
        event["transparent"] = True
    return event


def generate(cast: Cast) -> dict[str, Any]:
    """The `calendar` section: one calendar per team member."""
    days = _plans(cast)
    return {
        "calendars": [
            {
                "id": email,
                "name": name,
                "time_zone": zone,
                "days_behind": DAYS_BEHIND,
                "days_ahead": DAYS_AHEAD,
                "day_plans": [
                    [_event(m, member) for m in sorted(day[member], key=lambda m: m.start)]
                    for day in days
                ],
            }
            for member, (email, name, zone, _) in _TEAM.items()
        ]
    }
