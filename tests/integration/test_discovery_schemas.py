"""Sandbox responses checked against the response schemas of Google's discovery documents.

The documents are the ones google-api-python-client ships. jsonschema is not installed and
discovery schemas are not quite JSON Schema (named `$ref`s, 64-bit integers as strings,
`kind` defaults), so a small validator below walks them: every returned field must exist
in the schema with the right type and format, and each object must carry the fields the
real API always returns.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import httpx
import pytest
from googleapiclient.discovery_cache import get_static_doc

from sales_agent.connectors.google_api import (
    GoogleService,
    anonymous_credentials,
    build_google_service,
    sandbox_endpoint,
)
from sales_agent.sandbox import SEED_CALENDAR_ID, SEED_LEAD_THREAD_ID, SandboxServer

VERSIONS = {"gmail": "v1", "calendar": "v3", "drive": "v3"}
# Fields the real API always returns in these objects (discovery marks none as required).
ALWAYS = {
    "Thread": {"id", "historyId"},
    "Message": {"id", "threadId"},
    "MessagePart": {"mimeType"},
    "MessagePartHeader": {"name", "value"},
    "MessagePartBody": {"size"},
    "Draft": {"id", "message"},
    "ListThreadsResponse": {"resultSizeEstimate"},
    "ListMessagesResponse": {"resultSizeEstimate"},
    "ListHistoryResponse": {"historyId"},
    "History": {"id"},
    "ListLabelsResponse": {"labels"},
    "Label": {"id", "name"},
    "FreeBusyResponse": {"kind", "timeMin", "timeMax", "calendars"},
    "TimePeriod": {"start", "end"},
    "Events": {"kind", "items"},
    "Event": {"id", "start", "end"},
    "FileList": {"files"},
    "File": {"id"},
}
_BASE64 = re.compile(r"[A-Za-z0-9_\-+/]*={0,2}")
_DIGITS = re.compile(r"-?\d+")


@cache
def _document(api: str) -> dict[str, Any]:
    text = get_static_doc(api, VERSIONS[api])
    assert text is not None, f"google-api-python-client ships no {api} document"
    document: dict[str, Any] = json.loads(text)
    return document


def _methods(resource: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from resource.get("methods", {}).values()
    for child in resource.get("resources", {}).values():
        yield from _methods(child)


def _response_schema(method_id: str) -> str:
    api = method_id.split(".", 1)[0]
    for method in _methods(_document(api)):
        if method["id"] == method_id:
            return str(method["response"]["$ref"])
    raise AssertionError(f"no method {method_id} in the {api} discovery document")


def _check_string(value: str, fmt: str | None, where: str) -> list[str]:
    valid = True
    if fmt in ("int64", "uint64"):
        valid = bool(_DIGITS.fullmatch(value))
    elif fmt == "byte":  # Gmail sends base64url, other APIs plain base64
        valid = bool(_BASE64.fullmatch(value))
    elif fmt in ("date-time", "google-datetime"):
        try:
            valid = datetime.fromisoformat(value).tzinfo is not None
        except ValueError:
            valid = False
    elif fmt == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            valid = False
    return [] if valid else [f"{where}: {value!r} is not a {fmt} string"]


def _validate(value: Any, schema: dict[str, Any], api: str, where: str) -> list[str]:
    """Every way `value` departs from `schema`, as readable lines."""
    name = schema.get("$ref")
    if name is not None:
        schema = _document(api)["schemas"][name]
    kind = schema.get("type")
    fmt = schema.get("format")
    if kind == "any":
        return []
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {type(value).__name__}"]
        problems = [
            f"{where}: {name} lacks {field!r}"
            for field in sorted(ALWAYS.get(name or "", set()) - set(value))
        ]
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                spec = properties[key]
                default = spec.get("default")
                if key == "kind" and default is not None and item != default:
                    problems.append(f"{where}.kind: {item!r}, the API says {default!r}")
                problems += _validate(item, spec, api, f"{where}.{key}")
            elif extra is not None:
                problems += _validate(item, extra, api, f"{where}[{key!r}]")
            else:
                problems.append(f"{where}.{key}: no such field in {name or 'the schema'}")
        return problems
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: expected an array, got {type(value).__name__}"]
        items = schema["items"]
        return [
            p for i, item in enumerate(value) for p in _validate(item, items, api, f"{where}[{i}]")
        ]
    if kind == "string":
        if not isinstance(value, str):
            return [f"{where}: expected a string, got {value!r}"]
        if "enum" in schema and value not in schema["enum"]:
            return [f"{where}: {value!r} is not one of {schema['enum']}"]
        return _check_string(value, fmt, where)
    if kind == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        ok = ok and (fmt != "uint32" or value >= 0)
        return [] if ok else [f"{where}: expected an integer ({fmt}), got {value!r}"]
    if kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{where}: expected a number, got {value!r}"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{where}: expected a boolean, got {value!r}"]
    raise AssertionError(f"{where}: the validator does not know type {kind!r}")


def assert_matches(method_id: str, response: dict[str, Any]) -> None:
    """Assert `response` is what the discovery document says `method_id` returns."""
    api = method_id.split(".", 1)[0]
    name = _response_schema(method_id)
    problems = _validate(response, {"$ref": name}, api, name)
    assert not problems, f"{method_id} departs from its schema:\n" + "\n".join(problems)


# The validator must catch what it claims to catch.


def test_validator_rejects_unknown_fields_wrong_types_and_missing_fields() -> None:
    good = {"id": "t1", "historyId": "42", "messages": [{"id": "m1", "threadId": "t1"}]}
    assert_matches("gmail.users.threads.get", good)

    broken = {"id": "t1", "historyId": 42, "messages": [{"id": "m1", "labels": []}], "x": 1}
    problems = _validate(broken, {"$ref": "Thread"}, "gmail", "Thread")
    assert problems == [
        "Thread.historyId: expected a string, got 42",
        "Thread.messages[0]: Message lacks 'threadId'",
        "Thread.messages[0].labels: no such field in Message",
        "Thread.x: no such field in Thread",
    ]
    assert _validate({"kind": "calendar#event"}, {"$ref": "Events"}, "calendar", "E") == [
        "E: Events lacks 'items'",
        "E.kind: 'calendar#event', the API says 'calendar#events'",
    ]
    assert _check_string("12x", "int64", "w") == ["w: '12x' is not a int64 string"]
    assert _check_string("2026-01-01T10:00:00", "date-time", "w")  # no offset


# Sandbox responses


@pytest.fixture(autouse=True)
def _fresh(sandbox: SandboxServer) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()


@pytest.fixture(scope="module")
def google(sandbox: SandboxServer) -> Callable[[str], GoogleService]:
    services: dict[str, GoogleService] = {}

    def service(api: str) -> GoogleService:
        if api not in services:
            endpoint = sandbox_endpoint(sandbox.url, api, VERSIONS[api])
            services[api] = build_google_service(
                api, VERSIONS[api], credentials=anonymous_credentials(), api_endpoint=endpoint
            )
        return services[api]

    return service


def _run(request: Any) -> dict[str, Any]:
    response: dict[str, Any] = request.execute(num_retries=0)
    return response


@pytest.mark.parametrize("fmt", ["full", "metadata", "minimal"])
def test_gmail_threads_get(google: Callable[[str], GoogleService], fmt: str) -> None:
    threads = google("gmail").users().threads()
    thread = _run(threads.get(userId="me", id=SEED_LEAD_THREAD_ID, format=fmt))

    assert_matches("gmail.users.threads.get", thread)
    assert len(thread["messages"]) == 2


@pytest.mark.parametrize("fmt", ["full", "raw", "metadata", "minimal"])
def test_gmail_messages_get(google: Callable[[str], GoogleService], fmt: str) -> None:
    messages = google("gmail").users().messages()
    first = _run(messages.list(userId="me", maxResults=1))["messages"][0]

    message = _run(messages.get(userId="me", id=first["id"], format=fmt))

    assert_matches("gmail.users.messages.get", message)
    assert ("raw" in message) == (fmt == "raw")


@pytest.mark.parametrize("kind", ["messages", "threads"])
def test_gmail_lists_page(google: Callable[[str], GoogleService], kind: str) -> None:
    resource = getattr(google("gmail").users(), kind)()
    first = _run(resource.list(userId="me", maxResults=2))
    second = _run(resource.list(userId="me", maxResults=2, pageToken=first["nextPageToken"]))

    for page in (first, second):
        assert_matches(f"gmail.users.{kind}.list", page)
    ids = [item["id"] for page in (first, second) for item in page[kind]]
    assert len(set(ids)) == len(ids) == 4


def test_gmail_drafts_create(google: Callable[[str], GoogleService]) -> None:
    raw = base64.urlsafe_b64encode(
        b"To: priya@northwind-logistics.example\r\nSubject: Hello\r\n\r\nHi Priya\r\n"
    ).decode()
    drafts = google("gmail").users().drafts()

    draft = _run(drafts.create(userId="me", body={"message": {"raw": raw}}))

    assert_matches("gmail.users.drafts.create", draft)
    assert_matches("gmail.users.drafts.get", _run(drafts.get(userId="me", id=draft["id"])))


def test_gmail_history_and_labels(google: Callable[[str], GoogleService]) -> None:
    users = google("gmail").users()
    thread = _run(users.threads().get(userId="me", id=SEED_LEAD_THREAD_ID, format="minimal"))
    start = str(int(thread["historyId"]) - 1)

    history = _run(users.history().list(userId="me", startHistoryId=start))
    labels = _run(users.labels().list(userId="me"))

    assert_matches("gmail.users.history.list", history)
    assert_matches("gmail.users.labels.list", labels)
    assert {"INBOX", "SENT", "DRAFT"} <= {label["id"] for label in labels["labels"]}


def test_calendar_freebusy_and_events(google: Callable[[str], GoogleService]) -> None:
    calendar = google("calendar")
    now = datetime.now(UTC).replace(microsecond=0)
    window = {"timeMin": now.isoformat(), "timeMax": (now + timedelta(days=14)).isoformat()}

    free_busy = _run(
        calendar.freebusy().query(
            body={**window, "timeZone": "Europe/London", "items": [{"id": SEED_CALENDAR_ID}]}
        )
    )
    events = _run(calendar.events().list(calendarId=SEED_CALENDAR_ID, singleEvents=True, **window))

    assert_matches("calendar.freebusy.query", free_busy)
    assert free_busy["calendars"][SEED_CALENDAR_ID]["busy"]
    assert_matches("calendar.events.list", events)
    assert events["items"]


@pytest.mark.parametrize("fields", [None, "nextPageToken, files(*)", "*"])
def test_drive_files_list_pages(google: Callable[[str], GoogleService], fields: str | None) -> None:
    files = google("drive").files()
    selection = {"fields": fields} if fields else {}
    seen: list[str] = []
    token = None
    while True:
        page = _run(files.list(q="trashed = false", pageSize=7, pageToken=token, **selection))
        assert_matches("drive.files.list", page)
        seen += [item["id"] for item in page["files"]]
        token = page.get("nextPageToken")
        if token is None:
            break

    assert len(seen) == len(set(seen)) > 7


def test_drive_files_get(google: Callable[[str], GoogleService]) -> None:
    files = google("drive").files()
    folders = _run(files.list(q="mimeType = 'application/vnd.google-apps.folder'", pageSize=3))
    documents = _run(files.list(q="mimeType != 'application/vnd.google-apps.folder'", pageSize=5))

    for listed in folders["files"] + documents["files"]:
        assert_matches("drive.files.get", _run(files.get(fileId=listed["id"])))
        full = _run(files.get(fileId=listed["id"], fields="*"))
        assert_matches("drive.files.get", full)
        assert full["mimeType"] == listed["mimeType"]
