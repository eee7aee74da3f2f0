"""Delivery: DRAFT_ONLY keeps the approved Gmail draft; SEND_ALLOWED books it a send window.

An approved send goes out in the lead's next send window (`domain.send_window`: their
business hours, workdays, not on holidays, paced per mailbox and spaced per company), not
the second it is approved, and never before the plan's delay. Here it is only checked
(mode, kill switch, suppression: a draft that could not go now is not booked) and booked
with its job; the job re-checks everything and reserves the quota at the moment of sending
(`jobs/scheduled_sends.py`), so a change in between (a suppression, the kill switch) wins.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from langgraph.runtime import Runtime

from sales_agent.config import Mode
from sales_agent.domain.send_window import NoSendWindowError
from sales_agent.errors import ConfigError
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._effects import effect_key
from sales_agent.nodes._schedule_send import schedule_send
from sales_agent.nodes._send_guard import send_blocked
from sales_agent.policy.mode import current_mode
from sales_agent.policy.unsubscribe import signing_keys
from sales_agent.services import Services, ServicesProvider

__all__ = ["deliver"]


def deliver(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Keep (DRAFT_ONLY) or book the send (SEND_ALLOWED, nothing stopping it) of the draft."""
    svc = services()
    now = run_clock(runtime)
    assert state.identity is not None
    with svc.pool.connection() as conn:
        if current_mode(conn) is Mode.DRAFT_ONLY:
            return {}  # record_outcome notes that the draft waits in Gmail
        blocked = send_blocked(conn, email=state.identity.email, now=now)
    if blocked is None:
        try:
            signing_keys(svc.settings)  # no message goes out without its unsubscribe link
        except ConfigError as exc:
            blocked = exc.message
    if blocked is not None:
        return {"outcome_reason": f"{state.outcome_reason}; not sent: {blocked}"}
    thread_id = current_thread_id(runtime)
    delay = timedelta(days=state.plan.delay_days) if state.plan else timedelta()
    try:
        send_at = _book(svc, state, thread_id, now + delay)
    except NoSendWindowError as exc:
        return {"outcome_reason": f"{state.outcome_reason}; not sent: {exc}"}
    return {
        "scheduled_send_at": send_at,
        "outcome_reason": f"{state.outcome_reason}; scheduled to send at {send_at.isoformat()}",
    }


def _book(svc: Services, state: FollowupState, thread_id: str, earliest: datetime) -> datetime:
    """Book this version's send for the lead's next window at or after `earliest`."""
    assert state.identity is not None and state.gmail_draft_id is not None
    assert state.draft_record_id is not None
    return schedule_send(
        svc,
        key=effect_key(thread_id, "gmail_send", state.draft_version),
        draft_id=state.draft_record_id,
        thread_id=thread_id,
        identity=state.identity,
        gmail_draft_id=state.gmail_draft_id,
        draft_key=effect_key(thread_id, "gmail_draft", state.draft_version),
        gmail_thread_id=state.thread.gmail_thread_id if state.thread else None,
        earliest=earliest,
    )
