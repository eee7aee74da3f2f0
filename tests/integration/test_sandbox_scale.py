"""The sandbox at scale: a generated workspace, and HubSpot's paging limits enforced."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from sales_agent.sandbox import SEED_CONTACT_ID, SandboxServer
from sales_agent.sandbox._hubspot_objects import SEARCH_RESULTS_LIMIT
from sales_agent.sandbox._scale import SCALE_CONTACT_BASE
from sales_agent.sandbox.workspace import Workspace

CONTACTS = "/crm/v3/objects/contacts"
STARTED = datetime(2026, 3, 2, 9, tzinfo=UTC)
SCALE = 10_500  # past the search limit, small enough to build in a few seconds


@pytest.fixture(scope="module")
def scaled() -> Iterator[SandboxServer]:
    with SandboxServer(started_at=STARTED, scale=SCALE) as sandbox:
        yield sandbox


def test_the_scaled_workspace_has_the_issue_s_proportions_and_keeps_the_seed(
    scaled: SandboxServer,
) -> None:
    seeded = Workspace.from_seed(STARTED)
    crm, seed_crm = scaled.workspace.crm, seeded.crm

    assert len(crm.records("contacts")) == len(seed_crm.records("contacts")) + SCALE
    assert len(crm.records("companies")) == len(seed_crm.records("companies")) + SCALE // 5
    assert len(scaled.workspace.gmail.messages) == len(seeded.gmail.messages) + 2 * SCALE
    assert len(scaled.workspace.drive.items) == len(seeded.drive.items) + SCALE // 10
    assert crm.get("contacts", SEED_CONTACT_ID).properties == (
        seed_crm.get("contacts", SEED_CONTACT_ID).properties
    )
    names = [
        f"{o.properties['firstname']}{o.properties['lastname']}" for o in crm.records("contacts")
    ]
    assert any(not name.isascii() for name in names)
    emails = [o.properties["email"] for o in crm.records("contacts")]
    assert len(set(emails)) == len(emails)


def test_the_same_scale_gives_the_same_workspace() -> None:
    first = Workspace.from_seed(STARTED, scale=50).crm.records("contacts")
    again = Workspace.from_seed(STARTED, scale=50).crm.records("contacts")

    assert [o.properties for o in first] == [o.properties for o in again]


def test_list_pages_by_after_through_every_contact(scaled: SandboxServer) -> None:
    with httpx.Client(base_url=scaled.url) as http:
        last = http.get(
            CONTACTS, params={"limit": 100, "after": str(SCALE_CONTACT_BASE + SCALE - 150)}
        )
        page = last.json()
        assert len(page["results"]) == 100
        final = http.get(CONTACTS, params={"limit": 100, "after": page["paging"]["next"]["after"]})

    assert [r["id"] for r in final.json()["results"]][-1] == str(SCALE_CONTACT_BASE + SCALE - 1)
    assert "paging" not in final.json()


def test_search_stops_at_ten_thousand_results(scaled: SandboxServer) -> None:
    with httpx.Client(base_url=scaled.url) as http:
        near_end = http.post(f"{CONTACTS}/search", json={"limit": 100, "after": "9900"})
        past_end = http.post(
            f"{CONTACTS}/search", json={"limit": 100, "after": str(SEARCH_RESULTS_LIMIT)}
        )

    assert near_end.status_code == 200
    assert near_end.json()["total"] > SEARCH_RESULTS_LIMIT
    assert len(near_end.json()["results"]) == 100
    assert "paging" not in near_end.json()  # no page past the limit is offered
    assert past_end.status_code == 400
    body = past_end.json()
    assert (body["status"], body["category"]) == ("error", "VALIDATION_ERROR")
    assert "10000" in body["message"]
