"""AUTO_SEND_FOLLOWUP: when a sequence's follow-up may skip the approval interrupt.

Only a follow-up touch (never a first touch or a reply), only in SEND_ALLOWED, only for a
contact inside the flag's rollout, only with a clean gate (PASS, nothing flagged for the
operator), and only inside every quota, with the kill switch off and the lead not
suppressed. Delivery then re-checks all of it and reserves the quota atomically, as it
does for an approval by the operator.
"""

from __future__ import annotations

from datetime import datetime

from sales_agent.config import Mode
from sales_agent.domain import GateStatus
from sales_agent.graph.state import FollowupState
from sales_agent.policy.flags import flag_enabled
from sales_agent.policy.mode import current_mode, kill_switch_engaged
from sales_agent.policy.quotas import check_quota
from sales_agent.policy.suppression import is_suppressed
from sales_agent.services import Services

__all__ = ["AUTO_SEND_FLAG", "auto_send_reason"]

AUTO_SEND_FLAG = "AUTO_SEND_FOLLOWUP"


def auto_send_reason(services: Services, state: FollowupState, now: datetime) -> str | None:
    """Why this draft may be sent without the operator; None when it must wait for them."""
    identity, gate, plan = state.identity, state.gate, state.plan
    if state.trigger.source != "sequence" or identity is None or gate is None:
        return None
    if gate.status is not GateStatus.PASS or (plan is not None and plan.flag_for_operator):
        return None
    with services.pool.connection() as conn:
        if current_mode(conn) is not Mode.SEND_ALLOWED or kill_switch_engaged(conn):
            return None
        if not flag_enabled(conn, AUTO_SEND_FLAG, subject=identity.email):
            return None
        if is_suppressed(conn, identity.email, now=now) is not None:
            return None
        over = check_quota(
            conn,
            kind="followup",
            contact_email=identity.email,
            now=now,
            timezone=services.settings.timezone,
        )
    if over is not None:
        return None
    return (
        f"{AUTO_SEND_FLAG}: follow-up {state.trigger.touch} sent without approval "
        "(SEND_ALLOWED, contact in the rollout, gate passed, within quota)"
    )
