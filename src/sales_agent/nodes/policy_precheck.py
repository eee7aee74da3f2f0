"""Policy pre-check: may the agent act for this lead at all, before anything is read or drafted.

The kill switch stops everything; a suppressed or guardrail-excluded lead gets no draft.
Each stop is an audited outcome. When nothing stops the run, the four gatherers run in
parallel: read_thread, recall_memory, find_assets and propose_slots.
"""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from sales_agent.domain import Outcome
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.state import FollowupState
from sales_agent.policy.guardrails import is_allowed, load_active_rules
from sales_agent.policy.mode import kill_switch_engaged
from sales_agent.policy.suppression import is_suppressed
from sales_agent.services import current_services

__all__ = ["GATHERERS", "policy_precheck"]

Next = Literal["read_thread", "recall_memory", "find_assets", "propose_slots", "record_outcome"]
GATHERERS: tuple[Next, ...] = ("read_thread", "recall_memory", "find_assets", "propose_slots")


def _stop(outcome: Outcome, reason: str) -> Command[Next]:
    return Command(goto="record_outcome", update={"outcome": outcome, "outcome_reason": reason})


def policy_precheck(state: FollowupState, runtime: Runtime[FollowupContext]) -> Command[Next]:
    """Fan out to the gatherers only when no policy stops the run."""
    assert state.identity is not None
    with current_services().pool.connection() as conn:
        if kill_switch_engaged(conn):
            return _stop(Outcome.BLOCKED, "kill switch engaged: no external writes")
        suppression = is_suppressed(conn, state.identity.email)
        if suppression is not None:
            return _stop(Outcome.BLOCKED, f"{suppression.kind} suppressed ({suppression.reason})")
        allowed, reason = is_allowed(state.identity, load_active_rules(conn))
    if not allowed:
        return _stop(Outcome.BLOCKED, f"guardrails: {reason}")
    return Command(goto=list(GATHERERS))
