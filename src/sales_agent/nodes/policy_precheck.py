"""Policy pre-check: may the agent act for this lead at all, before anything is read or drafted.

The kill switch stops everything; a suppressed or guardrail-excluded lead gets no draft.
Each stop is an audited outcome (BLOCKED, recorded by record_outcome).
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.domain import Outcome
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.state import FollowupState
from sales_agent.nodes._kill_switch import KILL_SWITCH_REASON
from sales_agent.policy.guardrails import is_allowed, load_active_rules
from sales_agent.policy.mode import kill_switch_engaged
from sales_agent.policy.suppression import is_suppressed
from sales_agent.services import ServicesProvider

__all__ = ["policy_precheck"]


def _blocked(reason: str) -> dict[str, Any]:
    return {"outcome": Outcome.BLOCKED, "outcome_reason": reason}


def policy_precheck(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """BLOCKED with the reason when a policy stops the run; nothing otherwise."""
    assert state.identity is not None
    with services().pool.connection() as conn:
        if kill_switch_engaged(conn):
            return _blocked(KILL_SWITCH_REASON)
        suppression = is_suppressed(conn, state.identity.email)
        if suppression is not None:
            return _blocked(f"{suppression.kind} suppressed ({suppression.reason})")
        allowed, reason = is_allowed(state.identity, load_active_rules(conn))
    return {} if allowed else _blocked(f"guardrails: {reason}")
