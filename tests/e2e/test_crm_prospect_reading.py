"""A prospect the CRM knows is not read as a client (`read_thread`).

Late in a sale a prospect writes as a client would ("the team liked the approach, price the
first phase"); the classifier reads that as `existing_customer`, which stops the draft and
hands the lead to an account owner. The CRM knows who is a client: the same message from a
contact at a customer company stays `existing_customer`, and from one at an `opportunity`
company it is read as what it asks.
"""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sales_agent.domain import ResolvedIdentity, Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, start
from sales_agent.services import Services

CLIENT = "Oliver Nowak <oliver.nowak@oaklineretail.example>"  # sandbox CRM: customer
PROSPECT = "Noah Halvorsen <noah.halvorsen@brightwaterhealth.example>"  # opportunity
REPLY = (
    "Hi Dana,\n\nGood session yesterday, the team liked the approach. Could you price the "
    "first phase for two depots so I can take it to finance?\n\n{name}"
)


def _reading(
    graph: FollowupGraph, services: Services, context: FollowupContext, lead: str
) -> tuple[str, ResolvedIdentity]:
    assert context.now is not None  # the e2e fixture pins the run's clock
    gmail, operator = services.connectors.gmail, services.settings.operator_email
    tag = lead.split("@")[1].split(".")[0]
    ours = EmailMessage()
    ours["From"], ours["To"], ours["Subject"] = operator, lead, "Next steps"
    ours["Date"] = format_datetime(context.now - timedelta(days=2))
    ours["Message-ID"] = f"<prospect-{tag}-ours@chaingepartners.example>"
    ours.set_content("Thanks for the time today. I will send the plan over.\n\nDana")
    _, thread_id = gmail.insert_message(ours.as_bytes(), label_ids=("SENT",), date_from_header=True)
    answer = EmailMessage()
    answer["From"], answer["To"], answer["Subject"] = lead, operator, "Re: Next steps"
    answer["Date"] = format_datetime(context.now)
    answer["Message-ID"] = f"<prospect-{tag}-reply@{lead.split('@')[1].rstrip('>')}>"
    answer["In-Reply-To"] = answer["References"] = ours["Message-ID"]
    answer.set_content(REPLY.format(name=lead.split()[0]))
    gmail.insert_message(answer.as_bytes(), thread_id=thread_id, date_from_header=True)
    state = start(graph, Trigger(source="gmail", gmail_thread_id=thread_id), context).state
    assert state.thread is not None and state.identity is not None
    return state.thread.intent, state.identity


def test_a_client_asking_to_price_a_phase_is_an_existing_customer(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    intent, identity = _reading(graph, fresh, context, CLIENT)
    assert identity.lifecycle_stage == "customer" and not identity.is_prospect
    assert intent == "existing_customer"


def test_a_prospect_asking_the_same_is_asking_the_price(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    intent, identity = _reading(graph, fresh, context, PROSPECT)
    assert identity.lifecycle_stage == "opportunity" and identity.is_prospect
    assert intent == "pricing_question"
