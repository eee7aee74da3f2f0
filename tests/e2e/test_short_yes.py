"""A short yes under our own call proposal is the lead taking the call (`read_thread`).

"Sounds good" alone says nothing to act on; the reader turns it into a meeting request only
when the operator's last message before it asked for a call.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sales_agent.domain import Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, start
from sales_agent.services import Services

LEAD = "Priya Venn <priya.venn@venn-cartons.example>"


def _thread(services: Services, now: datetime, name: str, ours: str, reply: str) -> str:
    """Our message, then the lead's reply in the same thread; the thread's id."""
    gmail, operator = services.connectors.gmail, services.settings.operator_email
    first = EmailMessage()
    first["From"], first["To"], first["Subject"] = operator, LEAD, "Carton store"
    first["Date"] = format_datetime(now - timedelta(days=1))
    first["Message-ID"] = f"<{name}-ours@chaingepartners.example>"
    first.set_content(ours)
    _, thread_id = gmail.insert_message(
        first.as_bytes(), label_ids=("SENT",), date_from_header=True
    )
    answer = EmailMessage()
    answer["From"], answer["To"], answer["Subject"] = LEAD, operator, "Re: Carton store"
    answer["Date"] = format_datetime(now)
    answer["Message-ID"] = f"<{name}-reply@venn-cartons.example>"
    answer["In-Reply-To"] = answer["References"] = first["Message-ID"]
    answer.set_content(reply)
    gmail.insert_message(answer.as_bytes(), thread_id=thread_id, date_from_header=True)
    return thread_id


def _intent(
    graph: FollowupGraph, fresh: Services, context: FollowupContext, name: str, ours: str
) -> str:
    assert context.now is not None  # the e2e fixture pins the run's clock
    thread_id = _thread(fresh, context.now, name, ours, "Sounds good.\n\nPriya")
    state = start(graph, Trigger(source="gmail", gmail_thread_id=thread_id), context).state
    assert state.thread is not None
    return state.thread.intent


def test_a_short_yes_to_our_call_proposal_is_a_meeting_request(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    ours = "Hi Priya,\n\nWould a 20-minute call on Tuesday work to go through it?\n\nDana"
    assert _intent(graph, fresh, context, "yes-to-call", ours) == "meeting_request"


def test_the_same_yes_to_a_message_without_a_call_stays_unclear(
    graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    ours = "Hi Priya,\n\nThe one-pager on carton storage is attached.\n\nDana"
    assert _intent(graph, fresh, context, "yes-to-note", ours) == "unclear"
