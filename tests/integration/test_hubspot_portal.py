"""HubSpotClient tasks, notes, owners and forms, and the seeded portal, over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from sales_agent.connectors import CrmFilter, HubSpotClient, HubSpotFormSubmission, RetryPolicy
from sales_agent.connectors.hubspot_base import hubspot_api
from sales_agent.errors import ConnectorError
from sales_agent.sandbox import (
    SEED_COMPANY_ID,
    SEED_CONTACT_ID,
    SEED_FORM_SUBMISSION_ID,
    SEED_LEAD_EMAIL,
    SandboxServer,
)

FAST_RETRY = RetryPolicy(attempts=2, initial_delay=0.01, max_delay=0.02, max_retry_after=1)
CONTACT_FORM = "5b1c9d01-7a2e-4e0d-9c1f-c3e0de0d5b4b"


@pytest.fixture(scope="module")
def hubspot(sandbox: SandboxServer) -> HubSpotClient:
    return HubSpotClient(hubspot_api("sandbox", host=sandbox.url), retry=FAST_RETRY)


@pytest.fixture(autouse=True)
def _fresh_seed(sandbox: SandboxServer) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()


def _all_submissions(hubspot: HubSpotClient, form_id: str) -> list[HubSpotFormSubmission]:
    found, after = [], None
    while True:
        page = hubspot.list_form_submissions(form_id, after, limit=7)
        assert len(page.results) <= 7
        found += page.results
        if page.after is None:
            return found
        after = page.after


def test_task_is_created_with_its_associations(hubspot: HubSpotClient) -> None:
    due = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    deal = hubspot.get_deals(company_id="2002")[0]

    task_id = hubspot.create_task(
        "Send the proposal",
        "Two options, fixed price.",
        due,
        contact_id=SEED_CONTACT_ID,
        company_id=SEED_COMPANY_ID,
        deal_id=deal.id,
        owner_id="302",
    )
    task = hubspot.get_task(task_id)

    assert (task.subject, task.body, task.due) == (
        "Send the proposal",
        "Two options, fixed price.",
        due,
    )
    assert (task.status, task.task_type, task.owner_id) == ("NOT_STARTED", "TODO", "302")
    assert (task.contact_ids, task.company_ids, task.deal_ids) == (
        [SEED_CONTACT_ID],
        [SEED_COMPANY_ID],
        [deal.id],
    )
    bare = hubspot.get_task(hubspot.create_task("Call back", "", due, contact_id=SEED_CONTACT_ID))
    assert (bare.company_ids, bare.deal_ids, bare.owner_id) == ([], [], None)


def test_task_refuses_naive_times_unknown_owners_and_records(hubspot: HubSpotClient) -> None:
    due = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        hubspot.create_task("x", "y", due.replace(tzinfo=None), contact_id=SEED_CONTACT_ID)
    with pytest.raises(ConnectorError) as owner:
        hubspot.create_task("x", "y", due, contact_id=SEED_CONTACT_ID, owner_id="999")
    assert owner.value.status == 400 and "999" in owner.value.message
    with pytest.raises(ConnectorError) as deal:
        hubspot.create_task("x", "y", due, deal_id="424242")
    assert deal.value.status == 400
    with pytest.raises(ConnectorError) as missing:
        hubspot.get_task("999999")
    assert missing.value.status == 404


def test_seeded_history_has_notes_and_tasks(sandbox: SandboxServer, hubspot: HubSpotClient) -> None:
    notes = sandbox.workspace.crm.objects["notes"]
    tasks = sandbox.workspace.crm.objects["tasks"]
    assert len(notes) >= 10 and len(tasks) >= 5

    note = hubspot.get_note(min(notes, key=int))
    assert note.body and note.contact_ids and note.company_ids
    assert note.timestamp < datetime.now(UTC)
    task = hubspot.get_task(min(tasks, key=int))
    assert task.subject and task.contact_ids and task.owner_id in {"301", "302", "303"}


def test_owners(hubspot: HubSpotClient) -> None:
    owners = hubspot.list_owners()

    assert [o.id for o in owners] == ["301", "302", "303"]
    assert owners[0].email == "dana@chaingepartners.example"
    assert (owners[1].first_name, owners[1].last_name) == ("Tomás", "Reid")
    assert hubspot.get_owner("303") == owners[2]
    with pytest.raises(ConnectorError) as missing:
        hubspot.get_owner("999")
    assert missing.value.status == 404


def test_forms_are_listed_for_a_poller(hubspot: HubSpotClient) -> None:
    forms = hubspot.list_forms()

    assert len(forms) == 2
    contact_form = next(f for f in forms if f.id == CONTACT_FORM)
    assert contact_form.name == "Contact us"
    assert contact_form.field_names == ["email", "firstname", "lastname", "company", "message"]
    assert any("report" in f.name.lower() for f in forms)


def test_form_submissions_page_through_every_form(hubspot: HubSpotClient) -> None:
    by_form = {f.id: _all_submissions(hubspot, f.id) for f in hubspot.list_forms()}
    every = [s for subs in by_form.values() for s in subs]

    assert len(every) >= 25
    assert len({s.conversion_id for s in every}) == len(every)  # no page repeats another
    now = datetime.now(UTC)
    for subs in by_form.values():
        assert len(subs) >= 5
        stamps = [s.submitted_at for s in subs]
        assert stamps == sorted(stamps, reverse=True)  # newest first
        assert all(now - timedelta(days=45) < t < now for t in stamps)
    assert (now - min(s.submitted_at for s in every)) > timedelta(days=28)  # spread over weeks

    seeded = next(s for s in by_form[CONTACT_FORM] if s.conversion_id == SEED_FORM_SUBMISSION_ID)
    assert seeded.values["email"] == SEED_LEAD_EMAIL
    assert seeded.page_url == "https://chaingepartners.example/contact"


def test_submissions_mix_known_contacts_and_new_leads(hubspot: HubSpotClient) -> None:
    emails = {
        s.values["email"] for f in hubspot.list_forms() for s in _all_submissions(hubspot, f.id)
    }
    known = {e for e in emails if hubspot.find_contact_by_email(e) is not None}

    assert len(known) >= 10
    assert len(emails - known) >= 3  # brand-new leads, not in the CRM yet


def test_unknown_form_is_a_404(hubspot: HubSpotClient) -> None:
    with pytest.raises(ConnectorError) as missing:
        hubspot.list_form_submissions("no-such-form")
    assert missing.value.status == 404


def test_workspace_is_rich_enough(hubspot: HubSpotClient) -> None:
    companies = hubspot.search_companies(limit=200)
    contacts = hubspot.search_contacts(
        [CrmFilter(property="jobtitle", operator="HAS_PROPERTY")], limit=200
    )
    deals = hubspot.search_deals(limit=200)

    assert companies.total is not None and companies.total >= 20
    assert contacts.total is not None and contacts.total >= 60
    assert len({c.company_id for c in contacts.results}) >= 20
    assert len({c.industry for c in companies.results}) >= 8
    assert len({c.funding_stage for c in companies.results}) >= 5
    assert len({c.lifecycle_stage for c in companies.results}) >= 4
    sizes = [c.employee_count or 0 for c in companies.results]
    assert min(sizes) < 50 and max(sizes) > 1000
    assert {c.owner_id for c in contacts.results} == {"301", "302", "303"}
    assert deals.total is not None and deals.total >= 10
    assert len({d.stage for d in deals.results}) >= 3


def test_form_submissions_are_retried_like_every_call(
    sandbox: SandboxServer, hubspot: HubSpotClient
) -> None:
    fault = {"route": "^/form-integrations/", "status": 503, "count": 1}
    httpx.post(f"{sandbox.url}/_sandbox/faults", json=fault).raise_for_status()

    page = hubspot.list_form_submissions(CONTACT_FORM, limit=5)

    assert len(page.results) == 5
    (fault_state,) = httpx.get(f"{sandbox.url}/_sandbox/faults").json()["faults"]
    assert fault_state["hit"] == 1  # the first attempt failed; the retry got the page
