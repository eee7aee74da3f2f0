"""NextStepPlannerAgent: what to do for this lead, decided from everything gathered.

Runs once the four gatherers have joined. A plan of NO_ACTION ends the run (the graph routes
it to record_outcome): an unsubscribe, a bounce or a complaint is suppressed with nothing
written to the lead; an auto-reply, a wrong person or an existing customer gets a HubSpot
task instead of a draft. A 'not now' gets a short acknowledgement and a task at the time the
lead named; a call proposal honours the days and times the lead asked for when they are free.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from langgraph.runtime import Runtime
from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.connectors.google_calendar import propose_from_calendar
from sales_agent.db.email_events import EventKind, record_email_event, sent_draft_on_thread
from sales_agent.domain import NextStepPlan, Outcome, PlanAction, ProposedSlot, ThreadContext
from sales_agent.domain.slots import honouring
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock, run_context
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._effects import create_crm_task, effect_key
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.nodes.offline.planner import plan_for
from sales_agent.policy.suppression import SuppressionReason, suppress
from sales_agent.services import Services, ServicesProvider

__all__ = ["plan_next_step"]


_PREFERENCE_DAYS_AHEAD = 10
"""How far to look for slots that honour the lead's stated days and times."""


def _task(
    services: Services, state: FollowupState, plan: NextStepPlan, thread_id: str
) -> str | None:
    """The plan's HubSpot task, due on its date at the start of the operator's day."""
    assert state.identity is not None and plan.follow_up_on is not None
    assert plan.task_subject is not None
    zone = ZoneInfo(services.settings.timezone)
    due = datetime.combine(plan.follow_up_on, time(services.settings.working_hours_start), zone)
    return create_crm_task(
        services,
        key=effect_key(thread_id, "crm_task_plan", state.draft_version),
        thread_id=thread_id,
        identity=state.identity,
        subject=plan.task_subject,
        body=f"{plan.reason}.",
        due=due,
    )


def _preferred_slots(
    services: Services, thread: ThreadContext, slots: list[ProposedSlot], now: datetime
) -> tuple[list[ProposedSlot], str | None]:
    """Slots on the lead's stated days and times when free, else the nearest free ones."""
    if not (thread.proposed_days or thread.earliest_time or thread.latest_time):
        return slots, None
    settings = services.settings
    rules = dataclasses.replace(settings.slot_rules(), days_ahead=_PREFERENCE_DAYS_AHEAD, wanted=40)
    candidates = propose_from_calendar(
        services.connectors.calendar, settings.operator_email, now, rules
    )
    wanted = honouring(
        candidates,
        settings.timezone,
        days=thread.proposed_days,
        earliest=thread.earliest_time,
        latest=thread.latest_time,
    )
    if wanted:
        return sorted(wanted, key=lambda s: s.start)[
            :3
        ], "slots on the days and times the lead named"
    return slots, "nothing free when the lead asked: the nearest free slots instead"


_ANSWER_EVENTS: dict[str, EventKind] = {"OPT_OUT": "unsubscribed", "COMPLAINT": "complained"}


def _record_answer_event(
    conn: Connection[DictRow], state: FollowupState, suppressed: str, now: datetime
) -> None:
    """An unsubscribe or complaint answering a message we sent is an email event of it."""
    kind = _ANSWER_EVENTS.get(suppressed)
    assert state.thread is not None
    if kind is None or state.thread.gmail_thread_id is None:
        return
    sent = sent_draft_on_thread(conn, gmail_thread_id=state.thread.gmail_thread_id)
    if sent is None:
        return
    record_email_event(
        conn,
        event_key=f"{kind}:{state.thread.gmail_thread_id}:{state.thread.reply_to_message_id}",
        kind=kind,
        occurred_at=now,
        source="reply",
        draft_id=str(sent["id"]),
        thread_id=sent["thread_id"],
        contact_email=sent["contact_email"],
        company_id=sent["company_id"],
    )


def plan_next_step(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Decide the action; carry out what stands in for a draft (suppression, a task)."""
    assert state.identity is not None and state.thread is not None
    svc = services()
    now = run_clock(runtime)
    thread_id = current_thread_id(runtime)
    plan = plan_for(state.identity, state.thread, state.slots, state.assets, today=now.date())
    update: dict[str, Any] = {"plan": plan}
    if plan.action is PlanAction.PROPOSE_CALL:
        slots, note = _preferred_slots(svc, state.thread, state.slots, now)
        update["slots"] = slots
        if note is not None:
            update["plan"] = plan.model_copy(update={"reason": f"{plan.reason}; {note}"})
    if plan.suppress is not None:
        address = state.thread.bounced_address if plan.suppress == "BOUNCED" else None
        with svc.pool.connection() as conn:
            suppress(
                conn,
                value=address or state.identity.email,
                kind="email",
                reason=SuppressionReason(plan.suppress),
                actor=run_context(runtime).actor,
                source=f"{state.thread.intent}_reply:{thread_id}",
                thread_id=thread_id,
                now=now,
            )
            _record_answer_event(conn, state, plan.suppress, now)
        return {
            **update,
            "outcome": Outcome.SUPPRESSED,
            "outcome_reason": f"{plan.reason}; suppressed",
        }
    if plan.task_subject is not None and plan.follow_up_on is not None:
        if (stop := stopped_by_kill_switch(svc)) is not None:
            return {**update, **stop}
        update["crm_task_id"] = _task(svc, state, plan, thread_id)
    if plan.action is PlanAction.NO_ACTION:
        return {**update, "outcome": Outcome.NO_ACTION, "outcome_reason": plan.reason}
    return update
