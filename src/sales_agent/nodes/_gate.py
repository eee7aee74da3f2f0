"""The quality gate's context for the run's draft: shared by the gate and the model writer.

The writer validates its own output against the same rules the gate applies next, so the
two can never disagree.
"""

from __future__ import annotations

from datetime import datetime

from sales_agent.graph.state import FollowupState
from sales_agent.policy.gate_context import GateContext, gather_gate_context
from sales_agent.services import Services

__all__ = ["gate_context_for"]


def gate_context_for(state: FollowupState, services: Services, now: datetime) -> GateContext:
    """Recipients allowed, names that must not leak, tone, suppression, quotas: for this run."""
    thread = state.thread
    # A reply may go to the thread's participants and to the CRM's contacts; a form or
    # manual trigger's lead came from HubSpot or the operator. From a body's text only the
    # colleague a referral hands over to, under read_thread's narrow rule.
    participants = [
        *(thread.participants if thread else ()),
        *(thread.introduced if thread else ()),
        *([state.trigger.contact_email] if state.trigger.contact_email else []),
    ]
    with services.pool.connection() as conn:
        return gather_gate_context(
            conn,
            settings=services.settings,
            voice=services.voice,
            names=services.crm_names,
            recipient=state.identity,
            participants=participants,
            injection_findings=thread.injection_findings if thread else (),
            planned_tone=state.plan.tone if state.plan else None,
            lead_intent=thread.intent if thread else None,
            plan_asks=state.plan.asks if state.plan else True,
            now=now,
        )
