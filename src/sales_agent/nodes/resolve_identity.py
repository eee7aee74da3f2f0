"""IdentityResolverAgent: who the lead is, from the trigger, the thread and the CRM."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from sales_agent.graph.context import FollowupContext
from sales_agent.graph.state import FollowupState, ResolvedIdentity
from sales_agent.services import Services, current_services
from sales_agent.tools import HubSpotClient, build_reply

__all__ = ["lookup_identity", "resolve_identity"]


def _lead_email(state: FollowupState, services: Services) -> str:
    if state.trigger.contact_email:
        return state.trigger.contact_email.lower()
    # Gmail trigger: the lead is whom a reply would address (the thread's latest participant
    # other than the operator); recipients never come from text inside a body.
    assert state.trigger.gmail_thread_id is not None
    # Headers are all it takes to know who wrote; read_thread fetches the bodies.
    thread = services.connectors.gmail.get_thread(state.trigger.gmail_thread_id, "metadata")
    reply = build_reply(thread, operator_email=services.settings.operator_email, body_text="")
    return reply.to[0].email.lower()


def lookup_identity(hubspot: HubSpotClient, email: str) -> ResolvedIdentity:
    """Who `email` is in HubSpot: the contact, then the company by the email's domain."""
    email = email.strip().lower()
    contact = hubspot.find_contact_by_email(email)
    domain = email.rsplit("@", 1)[-1]
    company = hubspot.find_company_by_domain(domain)
    return ResolvedIdentity(
        email=email,
        first_name=contact.first_name if contact else None,
        last_name=contact.last_name if contact else None,
        job_title=contact.job_title if contact else None,
        contact_id=contact.id if contact else None,
        company_id=company.id if company else None,
        company_name=company.name if company else None,
        company_domain=domain,
        industry=company.industry if company else None,
        stage=company.funding_stage if company else None,
        employees=company.employee_count if company else None,
    )


def resolve_identity(state: FollowupState, runtime: Runtime[FollowupContext]) -> dict[str, Any]:
    """Look the lead up in HubSpot (contact, then company by domain)."""
    services = current_services()
    email = _lead_email(state, services)
    return {"identity": lookup_identity(services.connectors.hubspot, email)}
