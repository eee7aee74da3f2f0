"""What the story nodes share about one pitch: its lead, its gate context, its ledger keys.

Keys are per (story, contact), not per execution: a rerun finds the work already done.
"""

from __future__ import annotations

from datetime import datetime

from sales_agent.domain import ResolvedIdentity
from sales_agent.domain.story import StoryContact
from sales_agent.policy.gate_context import GateContext, gather_gate_context
from sales_agent.services import Services

__all__ = ["pitch_gate_context", "pitch_identity", "pitch_key"]


def pitch_identity(contact: StoryContact) -> ResolvedIdentity:
    """The contact as the gate and the writers know a lead."""
    return ResolvedIdentity(
        email=contact.email,
        first_name=contact.first_name,
        last_name=contact.last_name,
        job_title=contact.job_title,
        contact_id=contact.contact_id,
        company_id=contact.company_id,
        company_name=contact.company_name,
        industry=contact.industry,
        stage=contact.stage,
        employees=contact.employees,
    )


def pitch_gate_context(services: Services, contact: StoryContact, now: datetime) -> GateContext:
    """Recipient checks, names that must not leak, suppression, guardrails, story quota."""
    with services.pool.connection() as conn:
        return gather_gate_context(
            conn,
            settings=services.settings,
            voice=services.voice,
            names=services.crm_names,
            recipient=pitch_identity(contact),
            participants=[contact.email],
            planned_tone="conversational",
            quota_kind="story",
            now=now,
        )


def pitch_key(story_id: str, email: str, step: str) -> str:
    """The ledger key of one external write for the pitch of `story_id` to `email`."""
    return f"story:{story_id}:{email.lower()}:{step}"
