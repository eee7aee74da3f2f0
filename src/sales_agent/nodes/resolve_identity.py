"""IdentityResolverAgent: who the lead is, from the trigger, the thread and the CRM."""

from __future__ import annotations

import re
from typing import Any

from langgraph.runtime import Runtime

from sales_agent.connectors import build_reply
from sales_agent.connectors.records import GmailThread
from sales_agent.db.crm_mirror import deals_of, read_cursor
from sales_agent.domain import ResolvedIdentity
from sales_agent.domain.crm_records import CrmDeal
from sales_agent.domain.lead import furthest_stage
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.state import FollowupState
from sales_agent.memory.crm_lookup import company_for_domain, contact_for_email
from sales_agent.nodes._run_thread import run_thread
from sales_agent.nodes.offline.intent_rules import normalise
from sales_agent.services import Services, ServicesProvider

__all__ = ["lookup_identity", "name_from_display", "resolve_identity"]


def _lead_and_topic(
    state: FollowupState, services: Services
) -> tuple[str, str, str | None, dict[str, GmailThread]]:
    """The lead's address and display name, and what they wrote about (subject or form message).

    With the state update that hands on the Gmail thread when it was read here.
    """
    trigger = state.trigger
    if trigger.contact_email:
        return trigger.contact_email.lower(), "", trigger.message, {}
    # Gmail trigger: the lead is whom a reply would address (the thread's latest participant
    # other than the operator); recipients never come from text inside a body.
    assert trigger.gmail_thread_id is not None
    # Read in full once: read_thread takes its bodies from this same read.
    thread, read = run_thread(services.connectors.gmail, state, trigger.gmail_thread_id)
    reply = build_reply(thread, operator_email=services.settings.operator_email, body_text="")
    subject = thread.messages[0].subject if thread.messages else ""
    return reply.to[0].email.lower(), reply.to[0].name, subject or None, read


_CLOSED_STAGES = frozenset({"closedwon", "closedlost"})


def _open_deals(deals: list[CrmDeal]) -> list[CrmDeal]:
    return [deal for deal in deals if deal.stage not in _CLOSED_STAGES]


def _deals(
    services: Services, *, contact_id: str | None = None, company_id: str | None = None
) -> list[CrmDeal]:
    """A contact's or company's deals: from the mirror by index once it holds every deal."""
    with services.pool.connection() as conn:
        if read_cursor(conn, "deals").full_done_at is not None:
            return deals_of(conn, contact_id=contact_id, company_id=company_id)
    # The first walk has not finished: the mirror cannot tell "no deal" from "not yet read".
    return services.connectors.hubspot.get_deals(contact_id=contact_id, company_id=company_id)


def _open_deal_id(services: Services, contact_id: str | None, company_id: str | None) -> str | None:
    """The contact's open deal, else the company's; the newest (highest id) when several."""
    deals = _open_deals(_deals(services, contact_id=contact_id)) if contact_id else []
    if not deals and company_id:
        deals = _open_deals(_deals(services, company_id=company_id))
    return max(deals, key=lambda deal: int(deal.id)).id if deals else None


_NAME_WORDS = (2, 4)  # "Roderick Blaylock", "Ana Sofia de Souza"


def name_from_display(display: str, email: str) -> tuple[str | None, str | None]:
    """(first, last) name from a display name that the address confirms, else (None, None).

    "Roderick Blaylock" <r.blaylock@...> is Roderick: the address starts with his first name
    or its initial. A role ("Orders Desk" <info@...>), an initial ("T. Oakley") or a name the
    address does not bear out is not used: greeting someone by a wrong name is worse than by
    the address's guess.
    """
    words = display.replace('"', "").split()
    if not _NAME_WORDS[0] <= len(words) <= _NAME_WORDS[1] or "," in display:
        return None, None
    first = words[0]
    if len(first) < 2 or first.isupper() or not first.replace("-", "").isalpha():
        return None, None
    local = normalise(email.split("@", 1)[0])
    head = re.split(r"[._+-]", local, maxsplit=1)[0]
    given, surname = normalise(first), normalise(words[-1])
    initials = "".join(part[:1] for part in given.split("-"))  # "ml" for Marie-Laure
    if head not in (given, given.replace("-", ""), given[0], initials, given[0] + surname):
        return None, None
    # "joost haverkamp" as the display name: still Joost.
    return (first.capitalize() if first.islower() else first), " ".join(words[1:])


def lookup_identity(services: Services, email: str, display_name: str = "") -> ResolvedIdentity:
    """Who `email` is in the CRM: the contact, the company by the email's domain, the deal.

    Contact, company and the open deal come from the CRM mirror by index (contact and
    company from HubSpot on a miss; deals live until the mirror's first walk of them ends).
    A lead the CRM does not name is named by their `display_name`, when the address bears it
    out (`name_from_display`).
    """
    email = email.strip().lower()
    hubspot = services.connectors.hubspot
    contact = contact_for_email(services.pool, hubspot, email)
    domain = email.rsplit("@", 1)[-1]
    company = company_for_domain(services.pool, hubspot, domain)
    contact_id, company_id = (contact.id if contact else None), (company.id if company else None)
    first, last = (contact.first_name, contact.last_name) if contact else (None, None)
    if not (first or last):
        first, last = name_from_display(display_name, email)
    return ResolvedIdentity(
        email=email,
        first_name=first,
        last_name=last,
        job_title=contact.job_title if contact else None,
        contact_id=contact_id,
        company_id=company_id,
        deal_id=_open_deal_id(services, contact_id, company_id),
        company_name=company.name if company else None,
        company_domain=domain,
        industry=company.industry if company else None,
        stage=company.funding_stage if company else None,
        employees=company.employee_count if company else None,
        timezone=contact.timezone if contact else None,
        lifecycle_stage=furthest_stage(
            contact.lifecycle_stage if contact else None,
            company.lifecycle_stage if company else None,
        ),
    )


def resolve_identity(
    state: FollowupState, runtime: Runtime[FollowupContext], *, services: ServicesProvider
) -> dict[str, Any]:
    """Look the lead up in HubSpot (contact, then company by domain, then open deal)."""
    svc = services()
    email, display_name, topic, read = _lead_and_topic(state, svc)
    return {"identity": lookup_identity(svc, email, display_name), "topic": topic, **read}
