"""Every connector method against a real sandbox over HTTP, through the real client libraries."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from sales_agent.config import Settings
from sales_agent.connectors import (
    Connectors,
    EmailAddress,
    ReplyDraft,
    RetryPolicy,
    build_connectors,
    build_reply,
)
from sales_agent.connectors.google_api import sandbox_endpoint
from sales_agent.connectors.retry import TransientConnectorError
from sales_agent.errors import ConfigError, ConnectorError
from sales_agent.sandbox import (
    SEED_CALENDAR_ID,
    SEED_COMPANY_ID,
    SEED_CONTACT_ID,
    SEED_FORM_SUBMISSION_ID,
    SEED_LEAD_EMAIL,
    SEED_LEAD_THREAD_ID,
    SandboxServer,
    Workspace,
)

OPERATOR = SEED_CALENDAR_ID  # the operator's primary calendar id is their address
LEAD = SEED_LEAD_EMAIL
THREAD_ID = SEED_LEAD_THREAD_ID
FAST_RETRY = RetryPolicy(attempts=3, initial_delay=0.01, max_delay=0.05, max_retry_after=5)


def _settings() -> Settings:
    # Explicit None beats any credentials in the environment: these tests use the sandbox.
    return Settings(
        _env_file=None,
        google_client_id=None,
        google_client_secret=None,
        google_refresh_token=None,
        hubspot_access_token=None,
        operator_email=OPERATOR,
        operator_name="Dana Reyes",
    )


@pytest.fixture(scope="module")
def connectors(sandbox: SandboxServer) -> Connectors:
    return build_connectors(_settings(), sandbox.url, retry=FAST_RETRY)


@pytest.fixture(autouse=True)
def _fresh_seed(sandbox: SandboxServer) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()


def _inject(sandbox: SandboxServer, **fault: object) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/faults", json=fault).raise_for_status()


def test_sandbox_endpoints_follow_each_discovery_service_path(sandbox: SandboxServer) -> None:
    assert sandbox_endpoint(sandbox.url, "gmail", "v1") == f"{sandbox.url}/"
    assert sandbox_endpoint(sandbox.url, "calendar", "v3") == f"{sandbox.url}/calendar/v3/"
    assert sandbox_endpoint(sandbox.url, "drive", "v3") == f"{sandbox.url}/drive/v3/"


def test_missing_sandbox_without_credentials_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="SALES_AGENT_SANDBOX_URL"):
        build_connectors(_settings(), None)


def test_get_thread_reads_headers_and_plain_bodies(connectors: Connectors) -> None:
    thread = connectors.gmail.get_thread(THREAD_ID)

    outreach, reply = thread.messages
    assert thread.id == THREAD_ID
    assert (outreach.id, reply.id) == ("msg-northwind-001", "msg-northwind-002")
    assert outreach.sender == EmailAddress(email=OPERATOR, name="Dana Reyes")
    assert reply.sender.email == LEAD
    assert [a.email for a in reply.to] == [OPERATOR]
    assert reply.subject == "Re: Dispatch flow at Northwind's Leeds cross-dock"
    assert reply.in_reply_to == outreach.message_id
    assert reply.references == [outreach.message_id]
    assert reply.message_id.startswith("<") and reply.message_id.endswith(">")
    # The outreach is HTML only: its text has no markup and decoded entities.
    assert outreach.body_text.startswith("Hi Priya,\n\nThanks for getting in touch")
    assert "<" not in outreach.body_text and "&amp;" not in outreach.body_text
    assert "carrier slots & dock doors" in outreach.body_text
    assert "\u2014" not in outreach.body_text, "the operator never writes em-dashes"
    # The reply has text/plain, preferred over its HTML alternative.
    assert "dispatch delays in the warehouse" in reply.body_text
    assert "<b>" not in reply.body_text
    assert "> Hi Priya," in reply.body_text  # the quoted outreach
    assert reply.body_text.index("Head of Operations") < reply.body_text.index("> Hi Priya,")
    for message in thread.messages:
        assert message.date.utcoffset() == timedelta(0)
    assert outreach.date < reply.date <= datetime.now(UTC)


def test_reply_draft_is_threaded(sandbox: SandboxServer, connectors: Connectors) -> None:
    thread = connectors.gmail.get_thread(THREAD_ID)
    outreach, lead_reply = thread.messages
    reply = build_reply(thread, operator_email=OPERATOR, body_text="Hi Priya,\n\nTuesday works.")

    draft_id = connectors.gmail.create_draft(reply)
    draft = connectors.gmail.get_draft(draft_id)

    assert draft.id == draft_id
    message = draft.message
    assert message.thread_id == THREAD_ID
    assert message.is_draft
    assert message.sender == EmailAddress(email=OPERATOR, name="Dana Reyes")
    assert [a.email for a in message.to] == [LEAD]
    assert message.subject == lead_reply.subject  # "Re: " once, not "Re: Re: "
    assert message.in_reply_to == lead_reply.message_id
    assert message.references == [outreach.message_id, lead_reply.message_id]
    assert message.body_text == "Hi Priya,\n\nTuesday works."

    after = connectors.gmail.get_thread(THREAD_ID)
    assert [m.id for m in after.messages][:2] == [outreach.id, lead_reply.id]
    assert after.messages[-1].id == message.id and after.messages[-1].is_draft

    listed = httpx.get(f"{sandbox.url}/gmail/v1/users/me/drafts").json()
    assert [d["id"] for d in listed["drafts"]] == [draft_id]


def test_draft_is_updated_then_deleted(sandbox: SandboxServer, connectors: Connectors) -> None:
    thread = connectors.gmail.get_thread(THREAD_ID)
    reply = build_reply(thread, operator_email=OPERATOR, body_text="First version")
    draft_id = connectors.gmail.create_draft(reply)
    first = connectors.gmail.get_draft(draft_id).message

    connectors.gmail.update_draft(draft_id, reply.model_copy(update={"body_text": "Second"}))
    second = connectors.gmail.get_draft(draft_id).message

    assert second.body_text == "Second"
    assert second.thread_id == THREAD_ID and second.id != first.id
    assert [m.id for m in connectors.gmail.get_thread(THREAD_ID).messages][-1] == second.id

    connectors.gmail.delete_draft(draft_id)
    assert len(connectors.gmail.get_thread(THREAD_ID).messages) == 2
    with pytest.raises(ConnectorError) as gone:
        connectors.gmail.get_draft(draft_id)
    assert gone.value.status == 404


def test_draft_without_a_thread_starts_one(connectors: Connectors) -> None:
    new = ReplyDraft(to=[EmailAddress(email=LEAD)], subject="Hello", body_text="Hi Priya")

    message = connectors.gmail.get_draft(connectors.gmail.create_draft(new)).message

    assert message.thread_id != THREAD_ID
    assert (message.subject, message.in_reply_to, message.references) == ("Hello", None, [])


def test_draft_without_thread_headers_starts_a_new_thread(connectors: Connectors) -> None:
    thread = connectors.gmail.get_thread(THREAD_ID)
    proper = build_reply(thread, operator_email=OPERATOR, body_text="Hello")
    broken = ReplyDraft(**{**proper.model_dump(), "in_reply_to": "<x@y>", "references": ["<x@y>"]})

    draft = connectors.gmail.get_draft(connectors.gmail.create_draft(broken))

    assert draft.message.thread_id != THREAD_ID  # Gmail's rule: headers must reference the thread


def test_free_busy_returns_utc_blocks_inside_the_window(connectors: Connectors) -> None:
    start = datetime.now(UTC).replace(microsecond=0)
    end = start + timedelta(days=7)

    busy = connectors.calendar.free_busy([OPERATOR], start, end, "Europe/London")[OPERATOR]

    assert len(busy) >= 5  # several meetings on each of at least two business days
    for block in busy:
        assert block.start.utcoffset() == timedelta(0)
        assert start <= block.start < block.end <= end
    assert busy == sorted(busy, key=lambda b: b.start)

    first = busy[0]
    clipped_start = first.start + (first.end - first.start) / 2
    clipped = connectors.calendar.free_busy([OPERATOR], clipped_start, end, "Europe/London")
    assert clipped[OPERATOR][0].start == clipped_start
    assert clipped[OPERATOR][0].end == first.end


def test_free_busy_refuses_naive_times_and_unknown_calendars(connectors: Connectors) -> None:
    start = datetime.now(UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        connectors.calendar.free_busy([OPERATOR], start.replace(tzinfo=None), start, "UTC")
    with pytest.raises(ConnectorError, match="nobody@"):
        connectors.calendar.free_busy(
            ["nobody@chaingepartners.example"], start, start + timedelta(days=1), "UTC"
        )


def test_contact_and_company_lookup(connectors: Connectors) -> None:
    contact = connectors.hubspot.find_contact_by_email(LEAD.upper())
    assert contact is not None
    assert (contact.id, contact.email, contact.first_name, contact.last_name) == (
        SEED_CONTACT_ID,
        LEAD,
        "Priya",
        "Natarajan",
    )
    assert (contact.job_title, contact.company_name, contact.company_id) == (
        "Head of Operations",
        "Northwind Logistics",
        SEED_COMPANY_ID,
    )
    company = connectors.hubspot.find_company_by_domain("northwind-logistics.example")
    assert company is not None
    assert (company.id, company.name, company.industry) == (
        SEED_COMPANY_ID,
        "Northwind Logistics",
        "Logistics",
    )
    assert (company.employee_count, company.funding_stage) == (180, "Series B")

    assert connectors.hubspot.find_contact_by_email("nobody@example.com") is None
    assert connectors.hubspot.find_company_by_domain("unknown.example") is None


def test_note_is_created_and_associated(connectors: Connectors) -> None:
    when = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)

    note_id = connectors.hubspot.create_note(
        "Drafted a reply.", SEED_CONTACT_ID, SEED_COMPANY_ID, when
    )
    note = connectors.hubspot.get_note(note_id)

    assert note.id == note_id
    assert note.body == "Drafted a reply."
    assert note.timestamp == when
    assert (note.contact_ids, note.company_ids) == ([SEED_CONTACT_ID], [SEED_COMPANY_ID])
    only_contact = connectors.hubspot.get_note(
        connectors.hubspot.create_note("No company.", SEED_CONTACT_ID, None, when)
    )
    assert (only_contact.contact_ids, only_contact.company_ids) == ([SEED_CONTACT_ID], [])


def test_not_found_becomes_connector_error(connectors: Connectors) -> None:
    with pytest.raises(ConnectorError) as gmail_error:
        connectors.gmail.get_thread("no-such-thread")
    assert (gmail_error.value.service, gmail_error.value.status) == ("gmail", 404)
    assert "not found" in gmail_error.value.message

    with pytest.raises(ConnectorError) as hubspot_error:
        connectors.hubspot.get_note("999999")
    assert (hubspot_error.value.service, hubspot_error.value.status) == ("hubspot", 404)

    with pytest.raises(ConnectorError) as bad_association:
        connectors.hubspot.create_note("x", "424242", None, datetime.now(UTC))
    assert bad_association.value.status == 400


def test_transient_failures_are_retried(sandbox: SandboxServer, connectors: Connectors) -> None:
    _inject(sandbox, route="^/gmail/v1/users/me/threads/", status=503, count=2)
    assert connectors.gmail.get_thread(THREAD_ID).id == THREAD_ID

    _inject(sandbox, route="/contacts/search$", status=429, retry_after=0.3, count=1)
    started = time.monotonic()
    assert connectors.hubspot.find_contact_by_email(LEAD) is not None
    assert time.monotonic() - started >= 0.3  # Retry-After honoured, not the 50 ms backoff

    _inject(sandbox, route="/calendar/v3/freeBusy", status=500, count=5)
    now = datetime.now(UTC)
    with pytest.raises(TransientConnectorError) as exhausted:
        connectors.calendar.free_busy([OPERATOR], now, now + timedelta(hours=1), "UTC")
    assert exhausted.value.status == 500


def test_long_retry_after_fails_fast(sandbox: SandboxServer, connectors: Connectors) -> None:
    _inject(sandbox, route="^/gmail/", status=429, retry_after=3600, count=1)
    started = time.monotonic()
    with pytest.raises(ConnectorError) as error:
        connectors.gmail.get_thread(THREAD_ID)
    assert error.value.status == 429
    assert time.monotonic() - started < 1.0


def test_reset_restores_the_seed(sandbox: SandboxServer, connectors: Connectors) -> None:
    thread = connectors.gmail.get_thread(THREAD_ID)
    connectors.gmail.create_draft(build_reply(thread, operator_email=OPERATOR, body_text="Hi"))
    note_id = connectors.hubspot.create_note("temp", SEED_CONTACT_ID, None, datetime.now(UTC))

    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()

    assert len(connectors.gmail.get_thread(THREAD_ID).messages) == 2
    with pytest.raises(ConnectorError):
        connectors.hubspot.get_note(note_id)
    assert httpx.get(f"{sandbox.url}/gmail/v1/users/me/drafts").json() == {"resultSizeEstimate": 0}


def test_seed_ids_name_what_the_workspace_holds() -> None:
    workspace = Workspace.from_seed()
    assert workspace.gmail.thread(SEED_LEAD_THREAD_ID)
    assert workspace.crm.get("contacts", SEED_CONTACT_ID).properties["email"] == SEED_LEAD_EMAIL
    assert workspace.crm.get("companies", SEED_COMPANY_ID)
    assert SEED_CALENDAR_ID in workspace.calendar.calendars
    (submission,) = [s for s in workspace.form_submissions if s.id == SEED_FORM_SUBMISSION_ID]
    assert submission.values["email"] == SEED_LEAD_EMAIL
    assert submission.submitted_at < datetime.now(UTC)


def test_errors_use_each_services_shape(sandbox: SandboxServer) -> None:
    google = httpx.get(f"{sandbox.url}/gmail/v1/users/me/nothing-here")
    assert google.status_code == 404
    assert google.json()["error"]["status"] == "NOT_FOUND"

    hubspot = httpx.get(f"{sandbox.url}/crm/v3/objects/widgets/1")
    assert hubspot.status_code == 404
    assert hubspot.json()["status"] == "error"
    assert hubspot.json()["category"] == "OBJECT_NOT_FOUND"

    bad_json = httpx.post(
        f"{sandbox.url}/crm/v3/objects/contacts/search",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert bad_json.status_code == 400
    assert bad_json.json()["category"] == "VALIDATION_ERROR"

    empty_range = httpx.post(
        f"{sandbox.url}/calendar/v3/freeBusy",
        json={"timeMin": "2026-01-02T00:00:00Z", "timeMax": "2026-01-01T00:00:00Z"},
    )
    assert empty_range.status_code == 400
    assert empty_range.json()["error"]["errors"][0]["reason"] == "timeRangeEmpty"

    assert httpx.get(f"{sandbox.url}/_sandbox/health").json() == {"status": "ok"}
