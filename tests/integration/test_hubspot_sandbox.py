"""The sandbox's HubSpot wire shapes, read raw: paging, search operators, errors, state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sales_agent.sandbox import SEED_CONTACT_ID, SEED_LEAD_EMAIL, SandboxServer

CONTACTS = "/crm/v3/objects/contacts"


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()
    with httpx.Client(base_url=sandbox.url) as http:
        yield http


def _search(client: httpx.Client, kind: str, **body: Any) -> dict[str, Any]:
    response = client.post(f"/crm/v3/objects/{kind}/search", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _search_raw(client: httpx.Client, **body: Any) -> httpx.Response:
    return client.post(f"{CONTACTS}/search", json=body)


def _error(response: httpx.Response, status: int, category: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert (body["status"], body["category"]) == ("error", category)
    assert body["correlationId"]
    return str(body["message"])


def test_list_pages_carry_the_next_link(client: httpx.Client) -> None:
    first = client.get(CONTACTS, params={"limit": 2, "properties": "email,jobtitle"}).json()

    assert [r["id"] for r in first["results"]] == ["1001", "1002"]
    assert set(first["results"][0]["properties"]) >= {"email", "jobtitle", "hs_object_id"}
    following = client.get(first["paging"]["next"]["link"]).json()
    assert [r["id"] for r in following["results"]] == ["1003", "1004"]


def test_read_by_email_with_associations(client: httpx.Client) -> None:
    found = client.get(
        f"{CONTACTS}/{SEED_LEAD_EMAIL.upper()}",
        params={"idProperty": "email", "associations": "companies,deals"},
    ).json()

    assert found["id"] == SEED_CONTACT_ID
    assert found["associations"] == {
        "companies": {"results": [{"id": "2001", "type": "contact_to_company"}]}
    }


def test_search_operators(client: httpx.Client) -> None:
    def total(kind: str, *filters: dict[str, Any]) -> int:
        return int(_search(client, kind, filterGroups=[{"filters": list(filters)}])["total"])

    everyone = total("contacts")
    assert everyone == 66
    customers = total(
        "companies", {"propertyName": "lifecyclestage", "operator": "EQ", "value": "customer"}
    )
    others = total(
        "companies",
        {"propertyName": "lifecyclestage", "operator": "NOT_IN", "values": ["customer"]},
    )
    assert customers + others == 22
    between = total(
        "companies",
        {
            "propertyName": "numberofemployees",
            "operator": "BETWEEN",
            "value": "100",
            "highValue": "300",
        },
    )
    assert 0 < between < 22
    not_northwind = total(
        "contacts",
        {
            "propertyName": "email",
            "operator": "NOT_CONTAINS_TOKEN",
            "value": "*@northwind-logistics.example",
        },
    )
    assert not_northwind == everyone - 3
    assert total("contacts", {"propertyName": "phone", "operator": "NOT_HAS_PROPERTY"}) == everyone
    either = _search(
        client,
        "companies",
        filterGroups=[
            {
                "filters": [
                    {
                        "propertyName": "domain",
                        "operator": "EQ",
                        "value": "northwind-logistics.example",
                    }
                ]
            },
            {
                "filters": [
                    {"propertyName": "domain", "operator": "EQ", "value": "haldenfoods.example"}
                ]
            },
        ],
    )
    assert [r["id"] for r in either["results"]] == ["2001", "2002"]


def test_search_sorts_query_and_properties(client: httpx.Client) -> None:
    newest = _search(client, "contacts", sorts=["-createdate"], limit=66, properties=["email"])
    stamps = [r["properties"]["createdate"] for r in newest["results"]]
    assert stamps == sorted(stamps, reverse=True)
    assert set(newest["results"][0]["properties"]) == {
        "email",
        "hs_object_id",
        "createdate",
        "lastmodifieddate",
    }

    by_name = _search(
        client, "companies", sorts=[{"propertyName": "name", "direction": "ASCENDING"}], limit=3
    )
    names = [r["properties"]["name"] for r in by_name["results"]]
    assert names == sorted(names) and by_name["paging"]["next"]["after"] == "3"

    priya = _search(client, "contacts", query="priya natarajan")
    assert [r["id"] for r in priya["results"]] == [SEED_CONTACT_ID]


def test_update_changes_state_and_modified_date(
    sandbox: SandboxServer, client: httpx.Client
) -> None:
    before = client.get(f"{CONTACTS}/{SEED_CONTACT_ID}").json()["properties"]

    answer = client.patch(f"{CONTACTS}/{SEED_CONTACT_ID}", json={"properties": {"jobtitle": "COO"}})

    assert answer.status_code == 200
    after = answer.json()["properties"]
    assert after["jobtitle"] == "COO" and after["email"] == SEED_LEAD_EMAIL
    assert after["lastmodifieddate"] > before["lastmodifieddate"]
    assert sandbox.workspace.crm.get("contacts", SEED_CONTACT_ID).properties["jobtitle"] == "COO"


def test_validation_errors_use_hubspots_shape(client: httpx.Client) -> None:
    bad_operator = _search_raw(
        client, filterGroups=[{"filters": [{"propertyName": "email", "operator": "LIKE"}]}]
    )
    _error(bad_operator, 400, "VALIDATION_ERROR")
    too_many = _search_raw(client, filterGroups=[{"filters": []}] * 6)
    _error(too_many, 400, "VALIDATION_ERROR")
    bad_after = _search_raw(client, after="abc")
    assert "after" in _error(bad_after, 400, "VALIDATION_ERROR")

    message = _error(
        client.post(CONTACTS, json={"properties": {"lifecyclestage": "vip", "shoe_size": "9"}}),
        400,
        "VALIDATION_ERROR",
    )
    assert "INVALID_OPTION" in message and "PROPERTY_DOESNT_EXIST" in message
    read_only = client.patch(f"{CONTACTS}/1001", json={"properties": {"createdate": "2020-01-01"}})
    assert "READ_ONLY_VALUE" in _error(read_only, 400, "VALIDATION_ERROR")
    missing_time = client.post("/crm/v3/objects/notes", json={"properties": {"hs_note_body": "x"}})
    assert "hs_timestamp" in _error(missing_time, 400, "VALIDATION_ERROR")
    bad_date = client.patch(
        "/crm/v3/objects/deals/4001", json={"properties": {"closedate": "soon"}}
    )
    assert "INVALID_DATE" in _error(bad_date, 400, "VALIDATION_ERROR")
    wrong_side = client.post(
        "/crm/v3/objects/notes",
        json={
            "properties": {"hs_timestamp": "2026-01-01T00:00:00Z"},
            "associations": [
                {
                    "to": {"id": "1001"},
                    "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}],
                }
            ],
        },
    )
    _error(wrong_side, 400, "VALIDATION_ERROR")


def test_not_found_errors(client: httpx.Client) -> None:
    _error(client.get(f"{CONTACTS}/424242"), 404, "OBJECT_NOT_FOUND")
    _error(client.get("/crm/v3/objects/tickets"), 404, "OBJECT_NOT_FOUND")
    _error(client.patch(f"{CONTACTS}/424242", json={"properties": {}}), 404, "OBJECT_NOT_FOUND")
    _error(
        client.get("/crm/v4/objects/contact/424242/associations/company"), 404, "OBJECT_NOT_FOUND"
    )
    _error(client.get("/crm/v3/owners/999"), 404, "OBJECT_NOT_FOUND")
    _error(client.get("/marketing/v3/forms/nope"), 404, "OBJECT_NOT_FOUND")
    _error(client.get("/form-integrations/v1/submissions/forms/nope"), 404, "OBJECT_NOT_FOUND")


def test_batch_read_reports_missing_ids(client: httpx.Client) -> None:
    answer = client.post(
        "/crm/v3/objects/deals/batch/read",
        json={"inputs": [{"id": "4001"}, {"id": "999"}], "properties": ["dealname"]},
    )

    assert answer.status_code == 207
    body = answer.json()
    assert [r["id"] for r in body["results"]] == ["4001"]
    assert body["errors"][0]["context"]["ids"] == ["999"]


def test_form_submissions_wire_shape(client: httpx.Client) -> None:
    forms = client.get("/marketing/v3/forms").json()["results"]
    assert forms and all(f["formType"] == "hubspot" and f["fieldGroups"] for f in forms)

    page = client.get(
        f"/form-integrations/v1/submissions/forms/{forms[0]['id']}", params={"limit": 3}
    ).json()
    first = page["results"][0]
    assert set(first) == {"conversionId", "submittedAt", "values", "pageUrl"}
    assert isinstance(first["submittedAt"], int)
    assert {"name", "value"} <= set(first["values"][0])
    assert page["paging"]["next"]["after"] == "3"
    assert client.get(page["paging"]["next"]["link"]).json()["results"][0] != first
