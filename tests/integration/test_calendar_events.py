"""Calendar v3 on the sandbox: free/busy over several calendars and time zones, events.list,
and the seeded calendars' shape. The sandbox starts on a fixed Monday, the week before the
clocks change in Europe, so offsets before and after the change are both exercised."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from googleapiclient.errors import HttpError

from sales_agent.config import Settings
from sales_agent.connectors import CalendarClient, RetryPolicy, build_connectors
from sales_agent.connectors.google_api import (
    GoogleService,
    anonymous_credentials,
    build_google_service,
    sandbox_endpoint,
)
from sales_agent.errors import ConnectorError
from sales_agent.sandbox import SEED_CALENDAR_ID, SandboxServer

DANA = SEED_CALENDAR_ID
TOMAS = "tomas@chaingepartners.example"
AMARA = "amara@chaingepartners.example"
TEAM = [DANA, TOMAS, AMARA]
LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 3, 23, 6, 0, tzinfo=UTC)  # a Monday; clocks change on Sunday 29 March
FAST_RETRY = RetryPolicy(attempts=2, initial_delay=0.01, max_delay=0.05, max_retry_after=1)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(started_at=START) as server:
        yield server


@pytest.fixture(scope="module")
def raw(sandbox: SandboxServer) -> GoogleService:
    endpoint = sandbox_endpoint(sandbox.url, "calendar", "v3")
    return build_google_service(
        "calendar", "v3", credentials=anonymous_credentials(), api_endpoint=endpoint
    )


@pytest.fixture(scope="module")
def calendar(sandbox: SandboxServer) -> CalendarClient:
    settings = Settings(
        _env_file=None,
        google_client_id=None,
        google_client_secret=None,
        google_refresh_token=None,
        hubspot_access_token=None,
    )
    return build_connectors(settings, sandbox.url, retry=FAST_RETRY).calendar


def _run(request: Any) -> Any:
    return request.execute(num_retries=0)


def _free_busy(raw: GoogleService, start: datetime, end: datetime, zone: str) -> dict[str, Any]:
    body = {
        "timeMin": start.isoformat(),
        "timeMax": end.isoformat(),
        "timeZone": zone,
        "items": [{"id": calendar_id} for calendar_id in TEAM],
    }
    calendars: dict[str, Any] = _run(raw.freebusy().query(body=body))["calendars"]
    return calendars


def _events(raw: GoogleService, calendar_id: str, days: int, **params: Any) -> list[Any]:
    items: list[Any] = []
    token = None
    while True:
        page = _run(
            raw.events().list(
                calendarId=calendar_id,
                timeMin=START.isoformat(),
                timeMax=(START + timedelta(days=days)).isoformat(),
                singleEvents=True,
                orderBy="startTime",
                pageToken=token,
                **params,
            )
        )
        items += page["items"]
        token = page.get("nextPageToken")
        if token is None:
            return items


def _reason(excinfo: pytest.ExceptionInfo[HttpError]) -> tuple[int, str]:
    return int(excinfo.value.resp.status), excinfo.value.error_details[0]["reason"]


def test_free_busy_answers_every_calendar_in_the_asked_zone(
    raw: GoogleService, calendar: CalendarClient
) -> None:
    before = _free_busy(raw, START, START + timedelta(days=5), "Europe/Madrid")
    after = _free_busy(raw, START + timedelta(days=7), START + timedelta(days=12), "Europe/Madrid")
    in_utc = _free_busy(raw, START, START + timedelta(days=5), "UTC")

    for calendar_id in TEAM:
        assert len(before[calendar_id]["busy"]) >= 8
        assert all(b["start"].endswith("+01:00") for b in before[calendar_id]["busy"])
        assert all(b["end"].endswith("+02:00") for b in after[calendar_id]["busy"])
        assert all(b["start"].endswith("Z") for b in in_utc[calendar_id]["busy"])
    # The connector reads the zoned answer back as the same instants, in UTC.
    typed = calendar.free_busy(TEAM, START, START + timedelta(days=5), "Europe/Madrid")
    for calendar_id in TEAM:
        assert [(b.start, b.end) for b in typed[calendar_id]] == [
            (datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"]))
            for b in in_utc[calendar_id]["busy"]
        ]


def test_free_busy_reports_an_unknown_calendar_inside_the_answer(raw: GoogleService) -> None:
    body = {
        "timeMin": START.isoformat(),
        "timeMax": (START + timedelta(days=1)).isoformat(),
        "items": [{"id": DANA}, {"id": "nobody@chaingepartners.example"}],
    }
    answer = _run(raw.freebusy().query(body=body))["calendars"]

    assert answer["nobody@chaingepartners.example"] == {
        "errors": [{"domain": "global", "reason": "notFound"}],
        "busy": [],
    }
    assert answer[DANA]["busy"]
    with pytest.raises(HttpError) as excinfo:
        _run(raw.freebusy().query(body={**body, "timeZone": "Mars/Olympus"}))
    assert _reason(excinfo)[0] == 400


def test_busy_time_merges_back_to_back_meetings_and_skips_free_holds(
    raw: GoogleService,
) -> None:
    events = _events(raw, DANA, 28)
    opaque = [e for e in events if e.get("transparency") != "transparent"]
    touching = [(a, b) for a, b in itertools.pairwise(opaque) if a["end"] == b["start"]]
    (hold, *_) = [e for e in events if e.get("transparency") == "transparent"]
    busy = _free_busy(raw, START, START + timedelta(days=28), "UTC")[DANA]["busy"]

    assert touching, "the seed should hold back-to-back meetings"
    spans = [(b["start"], b["end"]) for b in busy]
    assert all(left[1] < right[0] for left, right in itertools.pairwise(spans))
    for first, second in touching:
        start = datetime.fromisoformat(first["start"]["dateTime"])
        end = datetime.fromisoformat(second["end"]["dateTime"])
        assert any(
            datetime.fromisoformat(s) <= start and end <= datetime.fromisoformat(e)
            for s, e in spans
        )
    hold_start = datetime.fromisoformat(hold["start"]["dateTime"])
    hold_end = datetime.fromisoformat(hold["end"]["dateTime"])
    assert not any(
        datetime.fromisoformat(s) <= hold_start and hold_end <= datetime.fromisoformat(e)
        for s, e in spans
    )


def test_the_operators_weeks_are_realistic(raw: GoogleService) -> None:
    events = [e for e in _events(raw, DANA, 28) if e.get("transparency") != "transparent"]
    by_day: dict[date, list[tuple[time, time]]] = {}
    for event in events:
        start = datetime.fromisoformat(event["start"]["dateTime"]).astimezone(LONDON)
        end = datetime.fromisoformat(event["end"]["dateTime"]).astimezone(LONDON)
        by_day.setdefault(start.date(), []).append((start.time(), end.time()))

    assert all(day.weekday() < 5 for day in by_day)
    assert len(by_day) == 20  # every business day of four weeks has meetings
    assert len({tuple(blocks) for blocks in by_day.values()}) >= 8  # days differ
    assert any(start < time(9) for blocks in by_day.values() for start, _ in blocks)
    assert any(end > time(17) for blocks in by_day.values() for _, end in blocks)
    for day, blocks in by_day.items():
        edges = [time(9)] + [t for block in sorted(blocks) for t in block] + [time(17)]
        gaps = [
            datetime.combine(day, max(edges[i + 1], edges[i])) - datetime.combine(day, edges[i])
            for i in range(0, len(edges), 2)
        ]
        assert max(gaps) >= timedelta(hours=1), f"{day} has no free hour"


def test_shared_meetings_appear_in_every_attendees_calendar(raw: GoogleService) -> None:
    reviews = {
        calendar_id: {
            (e["id"], e["start"]["dateTime"]): e
            for e in _events(raw, calendar_id, 14)
            if e["summary"] == "Pipeline review"
        }
        for calendar_id in TEAM
    }

    assert reviews[DANA]
    assert {key[0] for key in reviews[DANA]} == {key[0] for key in reviews[TOMAS]}
    for (_, dana_start), (_, tomas_start) in zip(
        sorted(reviews[DANA]), sorted(reviews[TOMAS]), strict=True
    ):
        assert datetime.fromisoformat(dana_start) == datetime.fromisoformat(tomas_start)
        # 16:00 in London is 17:00 in Tomás's Madrid, before and after the clocks change.
        assert (dana_start[11:16], tomas_start[11:16]) == ("16:00", "17:00")
    event = next(iter(reviews[TOMAS].values()))
    assert event["organizer"] == {"email": DANA, "displayName": "Dana Reyes"}
    assert {a["email"] for a in event["attendees"]} == set(TEAM)
    assert [a for a in event["attendees"] if a.get("self")] == [
        {"email": TOMAS, "displayName": "Tomás Reid", "self": True, "responseStatus": "accepted"}
    ]


def test_list_events_pages_and_types_the_events(
    raw: GoogleService, calendar: CalendarClient
) -> None:
    end = START + timedelta(days=7)
    paged = _events(raw, DANA, 7, maxResults=3)

    events = calendar.list_events(DANA, START, end)

    assert [e.id for e in events] == [e["id"] for e in paged]
    assert len(events) > 10
    assert all(e.end > START and e.start < end for e in events)
    assert [e.start for e in events] == sorted(e.start for e in events)
    assert all(e.start.utcoffset() == timedelta(0) for e in events)
    client = next(e for e in events if len(e.attendees) >= 2 and e.location)
    assert client.organizer is not None and client.organizer.email == DANA
    assert client.attendees[0].email == DANA
    assert client.attendees[1].email.endswith(".example") and client.attendees[1].name
    assert client.html_link and client.html_link.startswith("https://www.google.com/calendar/")
    assert calendar.list_events("primary", START, end) == events


def test_list_events_time_zone_parameter(raw: GoogleService) -> None:
    page = _run(
        raw.events().list(
            calendarId=DANA,
            timeMin=START.isoformat(),
            timeMax=(START + timedelta(days=2)).isoformat(),
            singleEvents=True,
            timeZone="America/New_York",
            maxResults=1,
        )
    )
    assert page["timeZone"] == "Europe/London"  # the calendar's own zone
    assert page["items"][0]["start"]["dateTime"].endswith("-04:00")
    assert page["accessRole"] == "owner"
    assert _run(raw.events().list(calendarId=TOMAS, maxResults=1))["accessRole"] == "reader"


def test_events_list_errors(raw: GoogleService, calendar: CalendarClient) -> None:
    with pytest.raises(HttpError) as excinfo:
        _run(raw.events().list(calendarId="nobody@chaingepartners.example"))
    assert _reason(excinfo) == (404, "notFound")
    with pytest.raises(HttpError) as excinfo:
        _run(raw.events().list(calendarId=DANA, orderBy="startTime"))  # needs singleEvents
    assert _reason(excinfo) == (400, "badRequest")
    with pytest.raises(HttpError) as excinfo:
        _run(
            raw.events().list(calendarId=DANA, timeMin=START.isoformat(), timeMax=START.isoformat())
        )
    assert _reason(excinfo) == (400, "timeRangeEmpty")

    with pytest.raises(ConnectorError) as caught:
        calendar.list_events("nobody@chaingepartners.example", START, START + timedelta(days=1))
    assert caught.value.status == 404
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.list_events(DANA, START.replace(tzinfo=None), START + timedelta(days=1))


def test_events_search_and_the_calendar_cap(raw: GoogleService) -> None:
    found = _events(raw, DANA, 14, q="pipeline")
    body = {
        "timeMin": START.isoformat(),
        "timeMax": (START + timedelta(days=1)).isoformat(),
        "calendarExpansionMax": 1,
        "items": [{"id": DANA}, {"id": TOMAS}],
    }
    capped = _run(raw.freebusy().query(body=body))["calendars"]

    assert found and {e["summary"] for e in found} == {"Pipeline review"}
    assert capped[DANA]["busy"]
    assert capped[TOMAS]["errors"] == [{"domain": "global", "reason": "tooManyCalendarsRequested"}]
