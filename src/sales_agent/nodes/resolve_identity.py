"""IdentityResolverAgent: who the lead is, from the trigger, the thread and the CRM."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from typing import Any

from langgraph.runtime import Runtime

from sales_agent.connectors import HubSpotClient, build_reply
from sales_agent.connectors.hubspot_models import CrmDeal
from sales_agent.connectors.records import CrmCompany, CrmContact
from sales_agent.domain import ResolvedIdentity
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.state import FollowupState
from sales_agent.services import Services, ServicesProvider

__all__ = ["lookup_identity", "resolve_identity"]


def _lead_and_topic(state: FollowupState, services: Services) -> tuple[str, str | None]:
    """The lead's address and what they wrote about (a subject or a form message)."""
    trigger = state.trigger
    if trigger.contact_email:
        return trigger.contact_email.lower(), trigger.message
    # Gmail trigger: the lead is whom a reply would address (the thread's latest participant
    # other than the operator); recipients never come from text inside a body.
    assert trigger.gmail_thread_id is not None
    # Headers are all it takes to know who wrote; read_thread fetches the bodies.
    thread = services.connectors.gmail.get_thread(trigger.gmail_thread_id, "metadata")
    reply = build_reply(thread, operator_email=services.settings.operator_email, body_text="")
    subject = thread.messages[0].subject if thread.messages else ""
    return reply.to[0].email.lower(), subject or None


_CLOSED_STAGES = frozenset({"closedwon", "closedlost"})


def _open_deals(deals: list[CrmDeal]) -> list[CrmDeal]:
    return [deal for deal in deals if deal.stage not in _CLOSED_STAGES]


def _contact_and_deals(
    hubspot: HubSpotClient, email: str
) -> tuple[CrmContact | None, list[CrmDeal]]:
    contact = hubspot.find_contact_by_email(email)
    return contact, _open_deals(hubspot.get_deals(contact_id=contact.id)) if contact else []


def _company_and_deals(
    hubspot: HubSpotClient, domain: str
) -> tuple[CrmCompany | None, list[CrmDeal]]:
    company = hubspot.find_company_by_domain(domain)
    return company, _open_deals(hubspot.get_deals(company_id=company.id)) if company else []


def lookup_identity(hubspot: HubSpotClient, email: str) -> ResolvedIdentity:
    """Who `email` is in HubSpot: the contact, the company by the email's domain, the deal.

    The deal is the contact's open one, else the company's; the newest (highest id) when
    several. The contact's and the company's chains of calls run concurrently: with a real
    API's round trips, two in turn instead of four (the company's deals are read even when
    the contact has one, a call that costs no waiting).
    """
    email = email.strip().lower()
    domain = email.rsplit("@", 1)[-1]
    # Each call runs in a copy of this context: the log's trace id follows it into the thread.
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="identity") as pool:
        by_contact = pool.submit(copy_context().run, _contact_and_deals, hubspot, email)
        by_company = pool.submit(copy_context().run, _company_and_deals, hubspot, domain)
        contact, contact_deals = by_contact.result()
        company, company_deals = by_company.result()
    deals = contact_deals or company_deals
    return ResolvedIdentity(
        email=email,
        first_name=contact.first_name if contact else None,
        last_name=contact.last_name if contact else None,
        job_title=contact.job_title if contact else None,
        contact_id=contact.id if contact else None,
        company_id=company.id if company else None,
        deal_id=max(deals, key=lambda deal: int(deal.id)).id if deals else None,
        company_name=company.name if company else None,
        company_domain=domain,
        industry=company.industry if company else None,
        stage=company.funding_stage if company else None,
        employees=company.employee_count if company else None,
    )


def resolve_identity(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Look the lead up in HubSpot (contact, then company by domain, then open deal)."""
    svc = services()
    email, topic = _lead_and_topic(state, svc)
    return {"identity": lookup_identity(svc.connectors.hubspot, email), "topic": topic}
