"""A CRM customer's reply is read as client work, unless it stops, leaves or hands over."""

import pytest

from sales_agent.domain import ResolvedIdentity, ThreadContext
from sales_agent.nodes._client_reading import read_as_client

CLIENT = ResolvedIdentity(email="mei@oaklineretail.example", customer=True)
PROSPECT = ResolvedIdentity(email="ana@newco.example")


@pytest.mark.parametrize("intent", ["meeting_request", "asset_request", "pricing_question",
                                    "not_interested", "timing", "new_lead"])  # fmt: skip
def test_what_a_client_asks_is_for_their_account_owner(intent: str) -> None:
    context = ThreadContext(summary="s", intent=intent)
    assert read_as_client(context, CLIENT).intent == "existing_customer"
    assert read_as_client(context, PROSPECT).intent == intent
    assert read_as_client(context, None).intent == intent


@pytest.mark.parametrize("intent", ["unsubscribe", "complaint", "out_of_office", "bounce",
                                    "wrong_person", "referral", "confidential_request",
                                    "unclear"])  # fmt: skip
def test_a_client_who_stops_leaves_or_hands_over_is_read_as_anyone(intent: str) -> None:
    context = ThreadContext(summary="s", intent=intent)
    assert read_as_client(context, CLIENT).intent == intent
