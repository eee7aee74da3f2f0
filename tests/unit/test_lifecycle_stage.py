"""Whether the CRM places a lead before `customer` (`ResolvedIdentity.is_prospect`)."""

from __future__ import annotations

import pytest

from sales_agent.domain import ResolvedIdentity
from sales_agent.domain.lead import furthest_stage
from sales_agent.nodes.offline.intent_model import classify


@pytest.mark.parametrize(
    ("contact", "company", "furthest"),
    [
        ("lead", "customer", "customer"),  # a new person at a client is at a client
        ("opportunity", "lead", "opportunity"),
        ("other", "salesqualifiedlead", "salesqualifiedlead"),  # a known stage wins
        ("other", None, "other"),
        (None, None, None),
        ("Opportunity", None, "opportunity"),
    ],
)
def test_the_furthest_stage_of_contact_and_company(
    contact: str | None, company: str | None, furthest: str | None
) -> None:
    assert furthest_stage(contact, company) == furthest


@pytest.mark.parametrize(
    ("stage", "prospect"),
    [
        ("subscriber", True),
        ("opportunity", True),
        ("customer", False),
        ("evangelist", False),
        ("other", False),  # a custom stage says nothing either way
        (None, False),  # nor does a lead the CRM does not know
    ],
)
def test_a_prospect_is_before_customer(stage: str | None, prospect: bool) -> None:
    identity = ResolvedIdentity(email="a@b.example", lifecycle_stage=stage)
    assert identity.is_prospect is prospect


def test_the_classifier_never_guesses_a_ruled_out_intent() -> None:
    text = "The team liked the approach. Could you price the first phase for two depots?"
    first = classify(text).intent
    assert classify(text, ruled_out={first}).intent != first
