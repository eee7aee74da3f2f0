"""TriggerAgent: accepts the event that started the run, records it, and says what it brings.

A thread can be triggered again: a redelivered webhook, a newer message from the lead, or
the operator's own reply sent from Gmail. What the trigger brings decides the route
(`graph/followup.py`): a first draft, the waiting draft asked for again, a waiting draft
withdrawn (superseded or handled), or nothing at all. A thread whose last run ended and that
receives a newer message starts its next draft version here, so none of the old draft's
keys, records or decisions carry over.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.connectors import GmailClient
from sales_agent.connectors.records import GmailThread
from sales_agent.graph.context import FollowupContext, current_thread_id, run_context
from sales_agent.graph.state import Arrival, FollowupState, next_draft_version
from sales_agent.nodes._run_thread import run_thread
from sales_agent.policy.audit import record_event
from sales_agent.services import ServicesProvider

__all__ = ["thread_news", "trigger"]


def thread_news(
    gmail: GmailClient, state: FollowupState, operator_email: str
) -> tuple[Arrival | None, dict[str, GmailThread]]:
    """superseded, handled, or None when the thread's newest message is the one answered.

    With the state update that hands the thread read here on to the run's later readers.
    """
    if state.thread is None or state.thread.gmail_thread_id is None:
        return None, {}
    thread, read = run_thread(gmail, state, state.thread.gmail_thread_id)
    sent = [m for m in thread.messages if not m.is_draft]
    if not sent or sent[-1].message_id == state.thread.reply_to_message_id:
        return None, read
    if sent[-1].sender.email.lower() == operator_email.lower():
        return "handled", read
    return "superseded", read


def _arrival(
    state: FollowupState, gmail: GmailClient, operator_email: str
) -> tuple[Arrival, dict[str, GmailThread]]:
    if state.identity is None:
        return "new", {}  # no earlier run got as far as knowing the lead
    news, read = thread_news(gmail, state, operator_email)
    if state.gmail_draft_id is not None and state.outcome is None:
        return news or "repeat", read  # a draft waits for approval
    return ("new" if news == "superseded" else "repeat"), read


def trigger(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Audit the trigger (its shape was validated by the input schema); say what it brings."""
    svc = services()
    arrival, read = _arrival(state, svc.connectors.gmail, svc.settings.operator_email)
    with svc.pool.connection() as conn:
        record_event(
            conn,
            actor=run_context(runtime).actor,
            action="trigger_received",
            thread_id=current_thread_id(runtime),
            contact_email=state.trigger.contact_email,
            reason=f"{state.trigger.source} trigger ({arrival})",
            metadata={"source": state.trigger.source, "arrival": arrival},
        )
    if arrival == "new" and state.outcome is not None:
        return {"arrival": arrival, **read, **next_draft_version(state)}
    return {"arrival": arrival, **read}
