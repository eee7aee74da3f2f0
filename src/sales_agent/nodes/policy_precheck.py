"""Policy pre-check: may the agent act for this lead at all, before any draft is written.

Order matters: the kill switch stops everything; an unsubscribe reply suppresses the lead
(and is the one case that writes, to our own suppression list); a suppressed or
guardrail-excluded lead gets no draft. Each stop is an audited outcome.
"""

from __future__ import annotations

from typing import Literal

from langgraph.runtime import Runtime
from langgraph.types import Command

from sales_agent.graph.context import FollowupContext, current_thread_id, run_context
from sales_agent.graph.state import FollowupState, Outcome
from sales_agent.policy.guardrails import is_allowed, load_active_rules
from sales_agent.policy.mode import kill_switch_engaged
from sales_agent.policy.suppression import is_suppressed, suppress_unsubscribe
from sales_agent.services import current_services

__all__ = ["policy_precheck"]


def _stop(outcome: Outcome, reason: str) -> Command[Literal["propose_slots", "record_outcome"]]:
    return Command(goto="record_outcome", update={"outcome": outcome, "outcome_reason": reason})


def policy_precheck(
    state: FollowupState, runtime: Runtime[FollowupContext]
) -> Command[Literal["propose_slots", "record_outcome"]]:
    """Go on to slots and drafting only when no policy stops the run."""
    assert state.identity is not None
    email = state.identity.email
    with current_services().pool.connection() as conn:
        if kill_switch_engaged(conn):
            return _stop(Outcome.BLOCKED, "kill switch engaged: no external writes")
        if state.thread is not None and state.thread.intent == "unsubscribe":
            suppress_unsubscribe(
                conn,
                email=email,
                thread_id=current_thread_id(runtime),
                actor=run_context(runtime).actor,
            )
            return _stop(Outcome.SUPPRESSED, "the lead asked to unsubscribe; suppressed")
        suppression = is_suppressed(conn, email)
        if suppression is not None:
            return _stop(Outcome.BLOCKED, f"{suppression.kind} suppressed ({suppression.reason})")
        allowed, reason = is_allowed(state.identity, load_active_rules(conn))
    if not allowed:
        return _stop(Outcome.BLOCKED, f"guardrails: {reason}")
    return Command(goto="propose_slots")
