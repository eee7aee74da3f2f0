"""A lead's "Thursday at 10" is 10 where they are (`plan_next_step`, `write_draft`).

The CRM knows a contact's time zone (HubSpot's `hs_timezone`). When the lead names a time
without a zone, the slots honour it in the lead's zone, not the operator's, and the draft
shows them as the lead will read them.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

import httpx

from sales_agent.domain import PlanAction, Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, start
from sales_agent.services import Services

LEAD = "maya.lindqvist@harborpoint-foods.example"
NEW_YORK = ZoneInfo("America/New_York")
# The eval's clock, a Monday: the sandbox seeds the operator's calendar around today, so on
# this long-past week it is free, and the test reads the same on any day it runs.
CONTEXT = FollowupContext(now=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


def _new_york_contact(services: Services) -> None:
    """A contact the CRM places in New York (not in the mirror: read from HubSpot)."""
    properties = {
        "email": LEAD,
        "firstname": "Maya",
        "lastname": "Lindqvist",
        "lifecyclestage": "lead",
        "hs_timezone": "america_slash_new_york",
    }
    created = httpx.post(
        f"{services.sandbox_url}/crm/v3/objects/contacts",
        json={"properties": properties},
        timeout=10,
    )
    created.raise_for_status()


def test_a_time_named_without_a_zone_is_in_the_leads_crm_zone(
    graph: FollowupGraph, fresh: Services
) -> None:
    context = CONTEXT
    assert context.now is not None
    _new_york_contact(fresh)
    gmail, operator = fresh.connectors.gmail, fresh.settings.operator_email
    ours = EmailMessage()
    ours["From"], ours["To"], ours["Subject"] = operator, LEAD, "Cold-chain capacity"
    ours["Date"] = format_datetime(context.now - timedelta(days=3))
    ours["Message-ID"] = "<zone-ours@chaingepartners.example>"
    ours.set_content("Would a short call on your cold-chain capacity be useful?\n\nDana")
    _, thread_id = gmail.insert_message(ours.as_bytes(), label_ids=("SENT",), date_from_header=True)
    answer = EmailMessage()
    answer["From"], answer["To"], answer["Subject"] = LEAD, operator, "Re: Cold-chain capacity"
    answer["Date"] = format_datetime(context.now)
    answer["Message-ID"] = "<zone-reply@harborpoint-foods.example>"
    answer["In-Reply-To"] = answer["References"] = ours["Message-ID"]
    answer.set_content("Hi Dana,\n\nYes, worth a call. Could we do Thursday at 10?\n\nMaya")
    gmail.insert_message(answer.as_bytes(), thread_id=thread_id, date_from_header=True)

    state = start(graph, Trigger(source="gmail", gmail_thread_id=thread_id), context).state

    assert state.identity is not None and state.identity.timezone == "America/New_York"
    assert state.plan is not None and state.plan.action is PlanAction.PROPOSE_CALL
    assert len(state.slots) >= 2
    for slot in state.slots:
        local = slot.start.astimezone(NEW_YORK)
        assert local.strftime("%A") == "Thursday"
        assert time(10) <= local.time() < time(11)
    assert state.draft is not None and "(New York time)" in state.draft.body
