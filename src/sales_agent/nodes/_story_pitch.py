"""What the story nodes share about one pitch: lead, gate context, ledger keys, Gmail draft.

Keys are per (story, contact), not per execution: a rerun finds the work already done.
"""

from __future__ import annotations

from datetime import datetime

from sales_agent.config import Settings
from sales_agent.connectors import EmailAddress, ReplyDraft
from sales_agent.domain import Draft, ResolvedIdentity
from sales_agent.domain.story import StoryContact
from sales_agent.nodes._gmail_reply import unsubscribe_link
from sales_agent.policy.gate_context import GateContext, gather_gate_context
from sales_agent.services import Services

__all__ = ["pitch_gate_context", "pitch_identity", "pitch_key", "pitch_reply"]


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


def pitch_reply(
    settings: Settings,
    *,
    story_id: str,
    contact: StoryContact,
    draft: Draft,
    execution_id: str,
    now: datetime,
) -> ReplyDraft:
    """The pitch as a Gmail draft: to the contact, keyed, with the one-click unsubscribe link.

    The link names the story run (`execution_id`, version 1), as a follow-up's names its run.
    """
    name = " ".join(n for n in (contact.first_name, contact.last_name) if n)
    return ReplyDraft(
        to=[EmailAddress(email=contact.email, name=name)],
        subject=draft.subject,
        body_text=draft.body,
        idempotency_key=pitch_key(story_id, contact.email, "gmail_draft"),
        list_unsubscribe=unsubscribe_link(
            settings, email=contact.email, thread_id=execution_id, version=1, now=now
        ),
    )
