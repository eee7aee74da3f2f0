"""Delivery: DRAFT_ONLY keeps the approved Gmail draft; SEND_ALLOWED sends it, guarded.

Before a send, one transaction re-reads the kill switch and the suppression list and
reserves the quota (the reservation is what makes concurrent sends count correctly); only
then does Gmail send the draft, once per thread and version (keyed in the ledger). A send
Gmail refuses releases the reservation and leaves the draft where the operator can see it.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.config import Mode
from sales_agent.connectors import GmailClient
from sales_agent.db.side_effects import run_once
from sales_agent.domain import Outcome
from sales_agent.errors import ConnectorError
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._effects import effect_key
from sales_agent.nodes._send_guard import send_refusal
from sales_agent.policy.mode import current_mode
from sales_agent.policy.quotas import mark_sent, release
from sales_agent.services import ServicesProvider

__all__ = ["deliver"]


def _sent_in_thread(gmail: GmailClient, gmail_thread_id: str | None, key: str) -> str | None:
    """Recovery: the draft is gone, so it was sent; its SENT message is the thread's newest."""
    if gmail_thread_id is None or gmail.find_draft_by_key(key, thread_id=gmail_thread_id):
        return None
    sent = [m for m in gmail.get_thread(gmail_thread_id).messages if "SENT" in m.label_ids]
    return sent[-1].id if sent else None


def deliver(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Keep (DRAFT_ONLY) or send (SEND_ALLOWED, every check passed) the approved draft."""
    svc = services()
    with svc.pool.connection() as conn:
        if current_mode(conn) is Mode.DRAFT_ONLY:
            return {}  # record_outcome notes that the draft waits in Gmail
    assert state.gmail_draft_id is not None
    thread_id = current_thread_id(runtime)
    key = effect_key(thread_id, "gmail_send", state.draft_version)
    assert state.identity is not None
    refusal = send_refusal(
        svc,
        email=state.identity.email,
        key=key,
        kind="followup",
        thread_id=thread_id,
        now=run_clock(runtime),  # the run's clock, as the gate's quota check used
    )
    if refusal is not None:
        return {"outcome_reason": f"{state.outcome_reason}; not sent: {refusal}"}
    gmail, draft_id = svc.connectors.gmail, state.gmail_draft_id
    gmail_thread_id = state.thread.gmail_thread_id if state.thread else None
    draft_key = effect_key(thread_id, "gmail_draft", state.draft_version)
    try:
        result = run_once(
            svc.pool,
            key=key,
            kind="gmail_send",
            thread_id=thread_id,
            call=lambda: {"message_id": gmail.send_draft(draft_id)},
            recover=lambda: (
                {"message_id": found}
                if (found := _sent_in_thread(gmail, gmail_thread_id, draft_key))
                else None
            ),
        )
    except ConnectorError as exc:
        with svc.pool.connection() as conn:
            release(conn, idempotency_key=key)
        return {"outcome_reason": f"{state.outcome_reason}; Gmail refused the send: {exc}"}
    with svc.pool.connection() as conn:
        mark_sent(conn, idempotency_key=key, now=run_clock(runtime))
    return {
        "outcome": Outcome.SENT,
        "outcome_reason": f"{state.outcome_reason}; sent",
        "sent_message_id": str(result["message_id"]),
    }
