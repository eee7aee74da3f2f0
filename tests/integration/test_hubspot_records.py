"""HubSpotClient contacts, companies and deals against a live sandbox, over HTTP."""

from __future__ import annotations

import httpx
import pytest

from sales_agent.config import Settings
from sales_agent.connectors import (
    CrmFilter,
    CrmSort,
    HubSpotClient,
    PropertyNotAllowedError,
    RetryPolicy,
    build_connectors,
)
from sales_agent.connectors.hubspot_base import hubspot_api
from sales_agent.errors import ConnectorError
from sales_agent.sandbox import SEED_COMPANY_ID, SEED_CONTACT_ID, SEED_LEAD_EMAIL, SandboxServer

FAST_RETRY = RetryPolicy(attempts=2, initial_delay=0.01, max_delay=0.02, max_retry_after=1)
WRITABLE = ("hs_lead_status", "lifecyclestage")


@pytest.fixture(scope="module")
def hubspot(sandbox: SandboxServer) -> HubSpotClient:
    api = hubspot_api("sandbox", host=sandbox.url)
    return HubSpotClient(api, retry=FAST_RETRY, writable_properties=WRITABLE)


@pytest.fixture(autouse=True)
def _fresh_seed(sandbox: SandboxServer) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()


def test_get_contact_found_and_not_found(hubspot: HubSpotClient) -> None:
    contact = hubspot.get_contact(SEED_CONTACT_ID)

    assert (contact.email, contact.first_name, contact.company_id) == (
        SEED_LEAD_EMAIL,
        "Priya",
        SEED_COMPANY_ID,
    )
    assert (contact.lifecycle_stage, contact.lead_status, contact.owner_id) == (
        "lead",
        "OPEN",
        "301",
    )
    with pytest.raises(ConnectorError) as missing:
        hubspot.get_contact("999999")
    assert missing.value.status == 404
    assert "not found" in missing.value.message.lower()


def test_paging_through_every_contact(hubspot: HubSpotClient) -> None:
    seen: list[str] = []
    after: str | None = None
    pages = 0
    while True:
        page = hubspot.list_contacts(limit=25, after=after)
        seen += [c.id for c in page.results]
        pages += 1
        if page.after is None:
            break
        after = page.after

    assert pages == 3 and len(seen) == 66 == len(set(seen))
    assert seen == sorted(seen, key=int) and seen[0] == SEED_CONTACT_ID


def test_search_filters_sorts_and_pages(hubspot: HubSpotClient) -> None:
    at_northwind = hubspot.search_contacts(
        [
            CrmFilter(
                property="email", operator="CONTAINS_TOKEN", value="*@northwind-logistics.example"
            )
        ]
    )
    assert at_northwind.total == 3
    assert {c.company_id for c in at_northwind.results} == {SEED_COMPANY_ID}

    customers = hubspot.search_companies(
        [CrmFilter(property="lifecyclestage", operator="IN", values=["customer"])],
        sort=CrmSort(property="numberofemployees", descending=True),
    )
    sizes = [c.employee_count or 0 for c in customers.results]
    assert customers.total == len(sizes) >= 4
    assert sizes == sorted(sizes, reverse=True)
    assert {c.lifecycle_stage for c in customers.results} == {"customer"}

    mid_sized = hubspot.search_companies(
        [
            CrmFilter(property="numberofemployees", operator="GTE", value="100"),
            CrmFilter(property="numberofemployees", operator="LT", value="500"),
            CrmFilter(property="country", operator="NEQ", value="United Kingdom"),
        ]
    )
    assert mid_sized.total >= 1
    for company in mid_sized.results:
        assert 100 <= (company.employee_count or 0) < 500 and company.country != "United Kingdom"

    first = hubspot.search_contacts(
        [CrmFilter(property="jobtitle", operator="HAS_PROPERTY")], limit=40
    )
    rest = hubspot.search_contacts(
        [CrmFilter(property="jobtitle", operator="HAS_PROPERTY")], limit=40, after=first.after
    )
    assert first.total == rest.total == 66
    assert (len(first.results), len(rest.results), rest.after) == (40, 26, None)


def test_search_dates_compare_as_datetimes(hubspot: HubSpotClient) -> None:
    won = hubspot.search_deals([CrmFilter(property="dealstage", operator="EQ", value="closedwon")])
    assert won.total >= 1
    pivot = sorted(d.close_date for d in won.results if d.close_date)[0]
    millis = str(int(pivot.timestamp() * 1000))

    later = hubspot.search_deals([CrmFilter(property="closedate", operator="GT", value=millis)])
    assert later.results and all(d.close_date and d.close_date > pivot for d in later.results)


def test_create_contact_reads_back_with_its_company(
    sandbox: SandboxServer, hubspot: HubSpotClient
) -> None:
    created = hubspot.create_contact(
        {"email": "Ellie@BrambleFreight.example", "firstname": "Ellie", "jobtitle": "COO"},
        company_id="2005",
    )

    assert created.email == "ellie@bramblefreight.example"  # HubSpot stores emails lowercased
    assert hubspot.get_contact(created.id).company_id == "2005"
    assert hubspot.find_contact_by_email("ellie@bramblefreight.example") == created
    linked = httpx.get(
        f"{sandbox.url}/crm/v4/objects/contacts/{created.id}/associations/companies"
    ).json()
    assert linked["results"][0]["toObjectId"] == 2005
    assert linked["results"][0]["associationTypes"][0]["typeId"] == 1

    with pytest.raises(ConnectorError) as duplicate:
        hubspot.create_contact({"email": SEED_LEAD_EMAIL})
    assert duplicate.value.status == 409
    assert SEED_CONTACT_ID in duplicate.value.message


def test_create_refuses_unknown_properties_and_options(hubspot: HubSpotClient) -> None:
    with pytest.raises(ConnectorError) as unknown:
        hubspot.create_company({"name": "Acme", "favourite_colour": "teal"})
    assert unknown.value.status == 400 and "favourite_colour" in unknown.value.message

    with pytest.raises(ConnectorError) as bad_stage:
        hubspot.create_deal({"dealname": "X", "dealstage": "maybe"})
    assert bad_stage.value.status == 400 and "maybe" in bad_stage.value.message


def test_update_contact_properties_respects_the_allowlist(hubspot: HubSpotClient) -> None:
    updated = hubspot.update_contact_properties(SEED_CONTACT_ID, {"hs_lead_status": "IN_PROGRESS"})
    assert updated.lead_status == "IN_PROGRESS"
    assert hubspot.get_contact(SEED_CONTACT_ID).lead_status == "IN_PROGRESS"

    with pytest.raises(PropertyNotAllowedError) as refused:
        hubspot.update_contact_properties(
            SEED_CONTACT_ID, {"hs_lead_status": "NEW", "email": "x@evil.example"}
        )
    assert refused.value.names == ["email"]
    assert "SALES_AGENT_HUBSPOT_WRITABLE_PROPERTIES" in refused.value.message
    # Nothing was sent: not even the allowed half of the update.
    assert hubspot.get_contact(SEED_CONTACT_ID).lead_status == "IN_PROGRESS"
    assert hubspot.get_contact(SEED_CONTACT_ID).email == SEED_LEAD_EMAIL


def test_factory_passes_the_configured_allowlist(sandbox: SandboxServer) -> None:
    settings = Settings(
        _env_file=None,
        hubspot_access_token=None,
        google_client_id=None,
        google_client_secret=None,
        google_refresh_token=None,
        hubspot_writable_properties="jobtitle",
    )
    hubspot = build_connectors(settings, sandbox.url, retry=FAST_RETRY).hubspot

    assert (
        hubspot.update_contact_properties(SEED_CONTACT_ID, {"jobtitle": "COO"}).job_title == "COO"
    )
    with pytest.raises(PropertyNotAllowedError, match="lifecyclestage"):
        hubspot.update_contact_properties(SEED_CONTACT_ID, {"lifecyclestage": "customer"})


def test_companies_get_create_and_update(hubspot: HubSpotClient) -> None:
    company = hubspot.get_company(SEED_COMPANY_ID)
    assert (company.name, company.city, company.employee_count) == (
        "Northwind Logistics",
        "Leeds",
        180,
    )

    created = hubspot.create_company(
        {"name": "Bramble Freight", "domain": "bramblefreight.example"}
    )
    assert hubspot.find_company_by_domain("bramblefreight.example") == created

    updated = hubspot.update_company(created.id, {"numberofemployees": "45", "city": "York"})
    assert (updated.employee_count, updated.city, updated.name) == (45, "York", "Bramble Freight")

    with pytest.raises(ConnectorError) as missing:
        hubspot.update_company("999999", {"city": "York"})
    assert missing.value.status == 404


def test_deals_by_contact_and_company(hubspot: HubSpotClient) -> None:
    by_company = hubspot.get_deals(company_id="2002")  # Halden Foods, a customer
    assert [d.name for d in by_company] == ["Halden Foods operations review"]
    deal = by_company[0]
    assert (deal.stage, deal.pipeline, deal.owner_id) == ("closedwon", "default", "302")
    assert deal.amount and deal.amount > 0 and deal.close_date is not None

    contact_id = (
        hubspot.search_contacts(
            [CrmFilter(property="associatedcompanyid", operator="EQ", value="2002")],
            sort=CrmSort(property="hs_object_id"),
        )
        .results[0]
        .id
    )
    assert hubspot.get_deals(contact_id=contact_id) == by_company
    assert hubspot.get_deals(contact_id=SEED_CONTACT_ID) == []  # a fresh lead has no deal
    with pytest.raises(ValueError, match="exactly one"):
        hubspot.get_deals()


def test_deal_create_update_and_associations(hubspot: HubSpotClient) -> None:
    deal = hubspot.create_deal(
        {
            "dealname": "Northwind dispatch review",
            "dealstage": "appointmentscheduled",
            "amount": "18000",
        },
        contact_id=SEED_CONTACT_ID,
        company_id=SEED_COMPANY_ID,
    )
    assert (deal.pipeline, deal.amount) == ("default", 18000.0)
    assert hubspot.get_deals(contact_id=SEED_CONTACT_ID) == [deal]
    assert hubspot.get_deals(company_id=SEED_COMPANY_ID) == [deal]

    moved = hubspot.update_deal(deal.id, {"dealstage": "qualifiedtobuy", "closedate": "2026-12-01"})
    assert moved.stage == "qualifiedtobuy"
    assert moved.close_date is not None and moved.close_date.isoformat().startswith("2026-12-01")
    # A single read carries the deal's links (the CRM mirror keeps them); batch reads do not.
    links = {"contact_ids": (SEED_CONTACT_ID,), "company_ids": (SEED_COMPANY_ID,)}
    assert hubspot.get_deal(deal.id) == moved.model_copy(update=links)
