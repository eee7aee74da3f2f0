"""NextStepPlannerAgent: what to do for this lead, decided from everything gathered.

Runs once the four gatherers have joined. Two intents end the run here: an unsubscribe
(suppressed on our own list, nothing written to the lead) and an out-of-office auto-reply
(no draft; a HubSpot task brings the lead back on the return date).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from langgraph.runtime import Runtime
from langgraph.types import Command

from sales_agent.domain import NextStepPlan, Outcome, PlanAction
from sales_agent.graph.context import FollowupContext, current_thread_id, run_context
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._effects import create_crm_task, effect_key
from sales_agent.nodes._kill_switch import stopped_by_kill_switch
from sales_agent.nodes.offline.planner import plan_for
from sales_agent.policy.suppression import suppress_unsubscribe
from sales_agent.services import Services, current_services

__all__ = ["plan_next_step"]

Next = Literal["write_draft", "record_outcome"]


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


def plan_next_step(state: FollowupState, runtime: Runtime[FollowupContext]) -> Command[Next]:
    """Decide the action; stop here when nothing is to be written."""
    assert state.identity is not None and state.thread is not None
    services = current_services()
    plan = plan_for(state.identity, state.thread, state.slots, state.assets)
    if plan.action is not PlanAction.NO_ACTION:
        return Command(goto="write_draft", update={"plan": plan})
    thread_id = current_thread_id(runtime)
    if state.thread.intent == "unsubscribe":
        with services.pool.connection() as conn:
            suppress_unsubscribe(
                conn,
                email=state.identity.email,
                thread_id=thread_id,
                actor=run_context(runtime).actor,
            )
        return Command(
            goto="record_outcome",
            update={
                "plan": plan,
                "outcome": Outcome.SUPPRESSED,
                "outcome_reason": "the lead asked to unsubscribe; suppressed",
            },
        )
    update: dict[str, object] = {"plan": plan, "outcome": Outcome.NO_ACTION}
    if plan.follow_up_on is not None:
        if (stop := stopped_by_kill_switch(services)) is not None:
            return Command(goto="record_outcome", update={"plan": plan, **stop})
        update["crm_task_id"] = _return_task(services, state, plan, thread_id)
    update["outcome_reason"] = plan.reason
    return Command(goto="record_outcome", update=update)
