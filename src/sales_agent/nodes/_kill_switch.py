"""The check every node makes right before an external write: whether the kill switch is on.

Read from Postgres on every call (never cached), so engaging it stops runs already in
flight at their next write; such a run ends as BLOCKED with the reason audited.
"""

from __future__ import annotations

from typing import Any

from sales_agent.domain import Outcome
from sales_agent.policy.mode import kill_switch_engaged
from sales_agent.services import Services

__all__ = ["KILL_SWITCH_REASON", "stopped_by_kill_switch"]

KILL_SWITCH_REASON = "kill switch engaged: no external writes"


def stopped_by_kill_switch(services: Services) -> dict[str, Any] | None:
    """The state update that ends the run as BLOCKED, or None when writes may go ahead."""
    with services.pool.connection() as conn:
        if not kill_switch_engaged(conn):
            return None
    return {"outcome": Outcome.BLOCKED, "outcome_reason": KILL_SWITCH_REASON}
