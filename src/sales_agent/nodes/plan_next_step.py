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
from sales_agent.db.sequences import get_sequence
from sales_agent.domain import NextStepPlan, Outcome, PlanAction, ProposedSlot, ThreadContext
from sales_agent.domain.slots import first_of_each_weekday, honouring, nearest_to, spread_out
from sales_agent.graph.context import FollowupContext, current_thread_id, run_clock, run_context
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._effects import create_crm_task, effect_key
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.nodes._sequence_outcome import settle_reply
from sales_agent.nodes.offline.planner import plan_for
from sales_agent.nodes.offline.touch_planner import plan_touch
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


_MIN_SLOTS = 2
_MAX_SLOTS = 3
"""A lead is offered at least two times to choose from, and at most three."""


def _preferred_slots(
    services: Services,
    thread: ThreadContext,
    slots: list[ProposedSlot],
    now: datetime,
    lead_zone: str | None,
) -> tuple[list[ProposedSlot], str | None]:
    """Slots on the lead's stated days and times when free, else the nearest free ones.

    The times they named are in `lead_zone` (`FollowupState.lead_time_zone`), when known.
    """
    if not (thread.proposed_days or thread.earliest_time or thread.latest_time):
        return slots, None
    settings = services.settings
    # Every free opening of the look-ahead, every half hour, so later days and the exact
    # times the lead named are among them.
    usual = settings.slot_rules()
    rules = dataclasses.replace(
        usual, days_ahead=_PREFERENCE_DAYS_AHEAD, wanted=500, spacing=usual.step
    )
    candidates = propose_from_calendar(
        services.connectors.calendar, settings.operator_email, now, rules
    )
    # "Thursday at 10" is 10 where they are: the zone they named ("10am Eastern"), else the
    # CRM's, else the operator's.
    zone = lead_zone or settings.timezone
    wanted = honouring(
        candidates,
        zone,
        days=thread.proposed_days,
        earliest=thread.earliest_time,
        latest=thread.latest_time,
    )
    # "Tuesday" is the coming Tuesday; a later one when the coming one has too few free.
    chosen = spread_out(first_of_each_weekday(wanted, zone), _MAX_SLOTS, usual.spacing)
    if len(chosen) < _MIN_SLOTS:
        chosen = spread_out(wanted, _MAX_SLOTS, usual.spacing)
    if len(chosen) >= _MIN_SLOTS:
        return chosen, "slots on the days and times the lead named"
    if thread.proposed_days and (thread.earliest_time or thread.latest_time):
        # Their times are taken: on the days they named, the free times nearest to them.
        on_their_days = first_of_each_weekday(
            honouring(candidates, zone, days=thread.proposed_days), zone
        )
        nearest = nearest_to(
            [slot for slot in on_their_days if slot not in chosen],
            zone,
            earliest=thread.earliest_time,
            latest=thread.latest_time,
        )
        near = sorted(chosen + nearest[: _MIN_SLOTS - len(chosen)], key=lambda slot: slot.start)
        if len(near) >= _MIN_SLOTS:
            return near, "slots on the days the lead named, as near their times as are free"
    if chosen:
        # One free time when asked is too few to choose from: the nearest free ones join it.
        taken = {slot.start for slot in chosen}
        others = [slot for slot in slots if slot.start not in taken]
        filled = chosen + others[: _MIN_SLOTS - len(chosen)]
        return filled, "one slot free when the lead asked, and the nearest free one besides"
    return slots, "nothing free when the lead asked: the nearest free slots instead"


def _touch_plan(services: Services, state: FollowupState) -> NextStepPlan:
    """A sequence's follow-up, or nothing when the sequence stopped since the touch was queued."""
    trigger = state.trigger
    assert state.identity is not None and trigger.sequence_id is not None
    assert trigger.touch is not None
    with services.pool.connection() as conn:
        sequence = get_sequence(conn, trigger.sequence_id)
    if sequence is None or sequence.status != "active" or sequence.pending_touch != trigger.touch:
        stopped = sequence is not None and sequence.stop_reason
        why = f"stopped ({sequence.stop_reason})" if stopped and sequence else "moved on"
        return NextStepPlan(
            action=PlanAction.NO_ACTION,
            reason=f"the sequence {why} before follow-up {trigger.touch} was written",
        )
    return plan_touch(
        state.identity,
        state.slots,
        state.assets,
        touch=trigger.touch,
        max_touches=sequence.max_touches,
        sent_assets=sequence.assets_sent,
    )


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
    if state.trigger.source == "sequence":
        plan = _touch_plan(svc, state)
        if plan.action is PlanAction.NO_ACTION:
            return {"plan": plan, "outcome": Outcome.NO_ACTION, "outcome_reason": plan.reason}
        return {"plan": plan}
    now = run_clock(runtime)
    thread_id = current_thread_id(runtime)
    plan = plan_for(
        state.identity,
        state.thread,
        state.slots,
        state.assets,
        today=now.date(),
        close_on_no=svc.settings.close_on_no,
    )
    with svc.pool.connection() as conn:
        actor = run_context(runtime).actor
        settle_reply(conn, svc, state, intent=state.thread.intent, now=now, actor=actor)
    update: dict[str, Any] = {"plan": plan}
    if plan.action is PlanAction.PROPOSE_CALL:
        slots, note = _preferred_slots(svc, state.thread, state.slots, now, state.lead_time_zone)
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
