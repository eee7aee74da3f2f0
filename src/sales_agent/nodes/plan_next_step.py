"""NextStepPlannerAgent: what to do for this lead, decided from everything gathered.

Runs once the four gatherers have joined. A plan of NO_ACTION ends the run (the graph routes
it to record_outcome): an unsubscribe is suppressed on our own list with nothing written to
the lead, and an out-of-office auto-reply gets no draft but a HubSpot task that brings the
lead back on the return date.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from langgraph.runtime import Runtime

from sales_agent.domain import NextStepPlan, Outcome, PlanAction
from sales_agent.graph.context import FollowupContext, current_thread_id, run_context
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._effects import create_crm_task, effect_key
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.nodes.offline.planner import plan_for
from sales_agent.policy.suppression import suppress_unsubscribe
from sales_agent.services import Services, ServicesProvider

__all__ = ["plan_next_step"]


def _return_task(
    services: Services, state: FollowupState, plan: NextStepPlan, thread_id: str
) -> str | None:
    """A HubSpot task due on the lead's return date (09:00 the operator's time)."""
    assert state.identity is not None and plan.follow_up_on is not None
    zone = ZoneInfo(services.settings.timezone)
    due = datetime.combine(plan.follow_up_on, time(services.settings.working_hours_start), zone)
    return create_crm_task(
        services,
        key=effect_key(thread_id, "crm_task_return", state.draft_version),
        thread_id=thread_id,
        identity=state.identity,
        subject="Follow up: back from out of office",
        body=f"{plan.reason}. Pick the conversation up again.",
        due=due,
    )


def plan_next_step(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Decide the action; for NO_ACTION, carry out what stands in for a draft."""
    assert state.identity is not None and state.thread is not None
    svc = services()
    plan = plan_for(state.identity, state.thread, state.slots, state.assets)
    if plan.action is not PlanAction.NO_ACTION:
        return {"plan": plan}
    thread_id = current_thread_id(runtime)
    if state.thread.intent == "unsubscribe":
        with svc.pool.connection() as conn:
            suppress_unsubscribe(
                conn,
                email=state.identity.email,
                thread_id=thread_id,
                actor=run_context(runtime).actor,
            )
        return {
            "plan": plan,
            "outcome": Outcome.SUPPRESSED,
            "outcome_reason": "the lead asked to unsubscribe; suppressed",
        }
    update: dict[str, object] = {"plan": plan, "outcome": Outcome.NO_ACTION}
    if plan.follow_up_on is not None:
        if (stop := stopped_by_kill_switch(svc)) is not None:
            return {"plan": plan, **stop}
        update["crm_task_id"] = _return_task(svc, state, plan, thread_id)
    update["outcome_reason"] = plan.reason
    return update
