"""The HubSpot section of the workspace: generated deterministically, consistent, shipped."""

from __future__ import annotations

import importlib
import json
from collections import Counter
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from sales_agent.sandbox import (
    SEED_COMPANY_ID,
    SEED_CONTACT_ID,
    SEED_FORM_SUBMISSION_ID,
    SEED_LEAD_EMAIL,
)
from sales_agent.sandbox._hubspot_schema import ASSOCIATION_TYPES
from sales_agent.sandbox._hubspot_seed import SeedHubSpot

REPOSITORY = Path(__file__).parents[2]
Section = dict[str, Any]


@pytest.fixture
def generate(monkeypatch: pytest.MonkeyPatch) -> Callable[[], Section]:
    """The generator script, which lives in the repository, not in the package."""
    monkeypatch.syspath_prepend(str(REPOSITORY))
    hubspot = importlib.import_module("scripts.workspace.hubspot")
    cast = importlib.import_module("scripts.workspace.cast").CAST
    return lambda: dict(hubspot.generate(cast))


def _packaged() -> dict[str, Any]:
    data = resources.files("sales_agent.sandbox").joinpath("data", "hubspot.json")
    loaded: dict[str, Any] = json.loads(data.read_text(encoding="utf-8"))
    return loaded


def test_generation_is_deterministic_and_shipped(generate: Callable[[], Section]) -> None:
    first, second = generate(), generate()

    assert first == second
    assert first == _packaged(), "run `python -m scripts.workspace` and commit the data"
    SeedHubSpot.model_validate(first)


def test_the_seeded_lead_is_unchanged(generate: Callable[[], Section]) -> None:
    section = generate()
    contact = next(c for c in section["contacts"] if c["id"] == SEED_CONTACT_ID)
    company = next(c for c in section["companies"] if c["id"] == SEED_COMPANY_ID)
    (submission,) = [s for s in section["form_submissions"] if s["id"] == SEED_FORM_SUBMISSION_ID]

    assert contact["properties"]["email"] == SEED_LEAD_EMAIL
    assert contact["properties"]["associatedcompanyid"] == SEED_COMPANY_ID
    assert (contact["days_ago"], company["days_ago"]) == (9, 9)
    assert company["properties"]["name"] == "Northwind Logistics"
    assert submission["values"] == {
        "email": SEED_LEAD_EMAIL,
        "firstname": "Priya",
        "message": "We run a 3PL warehouse in Leeds and orders keep waiting in staging before "
        "dispatch. Interested in how you would approach it.",
    }
    assert (submission["days_ago"], submission["local_time"]) == (8, "14:20")
    # The demo writes the lead's first note: the seed gives her no history to show.
    linked = {a["to_id"] for a in section["associations"] if a["from_type"] in ("notes", "tasks")}
    assert SEED_CONTACT_ID not in linked


def test_associations_use_hubspots_type_ids_from_the_right_side(
    generate: Callable[[], Section],
) -> None:
    section = generate()
    ids = {kind: {r["id"] for r in section[kind]} for kind in ("contacts", "companies", "deals")}

    for link in section["associations"]:
        kind = ASSOCIATION_TYPES[link["type_id"]]
        assert (kind.from_type, kind.to_type) == (link["from_type"], link["to_type"])
        if link["to_type"] in ids:
            assert link["to_id"] in ids[link["to_type"]]
    used = Counter(a["type_id"] for a in section["associations"])
    assert {1, 3, 5, 202, 190, 214, 204, 192, 216} <= set(used)
    assert used[1] == len(section["contacts"])  # every contact has its company


def test_submissions_span_six_weeks_and_two_forms(generate: Callable[[], Section]) -> None:
    section = generate()
    submissions = section["form_submissions"]

    assert len(submissions) >= 25
    assert {s["form_id"] for s in submissions} == {f["id"] for f in section["forms"]}
    assert min(s["days_ago"] for s in submissions) >= 1
    assert max(s["days_ago"] for s in submissions) >= 35
    for submission in submissions:
        assert {"email", "firstname"} <= set(submission["values"])
