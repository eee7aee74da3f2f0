"""What a finished run means for sequences: enrol, count a touch, stop, or settle a reply.

Called by `record_outcome` on every run. An approved (or edited, or sent) first touch enrols
its lead; a follow-up touch's outcome moves its sequence on; a reply run (a `gmail` trigger
that read the lead's newest message) stops the lead's sequences, or defers them for an out
of office, as soon as the planner knows what the message says. Every change is audited
by `policy/sequences.py`.
"""

from __future__ import annotations

from datetime import datetime

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.db.sequences import get_sequence, reschedule
from sales_agent.domain import Outcome
from sales_agent.domain.sequence import due_after
from sales_agent.graph.state import FollowupState
from sales_agent.policy.sequences import enrol, record_touch, settle_after_reply, stop
from sales_agent.services import Services

__all__ = ["sequence_after_run", "settle_reply"]

_APPROVED = frozenset({Outcome.APPROVED, Outcome.EDITED, Outcome.SENT})
_DECLINED = frozenset({Outcome.IGNORED, Outcome.REJECTED, Outcome.EXPIRED})


def _gmail_thread_of(services: Services, state: FollowupState) -> str | None:
    """The Gmail thread the first touch is on (a form lead's first touch starts one)."""
    if state.thread is not None and state.thread.gmail_thread_id:
        return state.thread.gmail_thread_id
    gmail = services.connectors.gmail
    if state.sent_message_id:
        return gmail.get_message(state.sent_message_id, "metadata").thread_id
    if state.gmail_draft_id:
        return gmail.get_draft(state.gmail_draft_id).message.thread_id
    return None


def _after_touch(
    conn: Connection[DictRow], services: Services, state: FollowupState, now: datetime, actor: str
) -> None:
    trigger = state.trigger
    assert trigger.sequence_id is not None and trigger.touch is not None
    sequence_id, touch = trigger.sequence_id, trigger.touch
    if state.outcome in _APPROVED:
        asset = state.plan.asset.file_id if state.plan and state.plan.asset else None
        record_touch(
            conn,
            services.settings,
            sequence_id=sequence_id,
            touch=touch,
            now=now,
            asset_id=asset,
            actor=actor,
        )
    elif state.outcome in _DECLINED:
        detail = f"follow-up {touch} was {state.outcome.value.lower()}: {state.outcome_reason}"
        stop(
            conn,
            sequence_id=sequence_id,
            reason="touch_declined",
            actor=actor,
            now=now,
            detail=detail,
        )
    elif state.outcome is Outcome.HANDLED:
        stop(conn, sequence_id=sequence_id, reason="operator_replied", actor=actor, now=now)
    elif state.outcome is Outcome.BLOCKED:
        # The kill switch or a policy held this touch: the next business day looks again
        # (and the due-time checks stop the sequence if the lead is now suppressed).
        row = get_sequence(conn, sequence_id)
        if row is not None and row.status == "active":
            settings = services.settings
            later = due_after(
                now, 1, country=settings.holiday_country, days_off=settings.operator_days_off
            )
            reschedule(conn, sequence_id=sequence_id, next_due=later, now=now)


def settle_reply(
    conn: Connection[DictRow],
    services: Services,
    state: FollowupState,
    *,
    intent: str,
    now: datetime,
    actor: str,
) -> None:
    """A reply run read the lead's newest message: stop their sequences, or defer (OOO).

    Called by the planner once the reading is known; a run stopped before it (a suppressed
    lead) settles in `sequence_after_run` as a plain reply.
    """
    trigger = state.trigger
    if trigger.source != "gmail" or state.arrival != "new" or state.identity is None:
        return
    thread = state.thread
    settle_after_reply(
        conn,
        services.settings,
        gmail_thread_id=trigger.gmail_thread_id or "",
        sender=state.identity.email,
        intent=intent,
        return_date=thread.return_date if thread is not None else None,
        message_id=thread.reply_to_message_id if thread is not None else None,
        now=now,
        actor=actor,
    )


def sequence_after_run(
    conn: Connection[DictRow],
    services: Services,
    state: FollowupState,
    *,
    thread_id: str,
    now: datetime,
    actor: str,
) -> None:
    """Carry a finished run's outcome over to the sequences it concerns."""
    trigger = state.trigger
    if trigger.source == "sequence":
        _after_touch(conn, services, state, now, actor)
        return
    if state.plan is None:  # stopped before the planner read the message: a plain reply
        settle_reply(conn, services, state, intent="unclear", now=now, actor=actor)
    if state.outcome in _APPROVED and state.identity is not None:
        gmail_thread_id = _gmail_thread_of(services, state)
        if gmail_thread_id is not None:
            enrol(
                conn,
                services.settings,
                email=state.identity.email,
                gmail_thread_id=gmail_thread_id,
                origin_thread_id=thread_id,
                now=now,
                actor=actor,
            )
