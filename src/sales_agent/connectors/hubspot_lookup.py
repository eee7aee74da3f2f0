"""A person or a company in HubSpot at a glance: what `sales-agent hubspot lookup` prints.

The contact (by email), their company (the contact's primary company, else the one with
the domain), the deals of the contact (else of the company) with their stages, and the
owner of the contact (else of the company). Reads only.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from sales_agent.connectors.hubspot_crm import HubSpotClient
from sales_agent.connectors.hubspot_models import CrmDeal, CrmOwner
from sales_agent.domain.crm_records import CrmCompany, CrmContact
from sales_agent.errors import SalesAgentError

__all__ = ["CrmLookup", "crm_lookup"]


class CrmLookup(BaseModel):
    """What HubSpot holds about an email address or a domain."""

    model_config = ConfigDict(frozen=True)

    contact: CrmContact | None
    company: CrmCompany | None
    deals: tuple[CrmDeal, ...]
    owner: CrmOwner | None

    @property
    def found(self) -> bool:
        """Whether HubSpot knows the contact or the company."""
        return self.contact is not None or self.company is not None


def _company(hubspot: HubSpotClient, contact: CrmContact | None, domain: str) -> CrmCompany | None:
    if contact is not None and contact.company_id:
        return hubspot.get_company(contact.company_id)
    return hubspot.find_company_by_domain(domain)


def crm_lookup(
    hubspot: HubSpotClient, *, email: str | None = None, domain: str | None = None
) -> CrmLookup:
    """Look up `email` (its contact and their company) or `domain` (its company only)."""
    if (email is None) == (domain is None):
        raise SalesAgentError("look up by --email or by --domain (exactly one)")
    address = (email or "").strip().lower()
    contact = hubspot.find_contact_by_email(address) if email is not None else None
    company = _company(hubspot, contact, (domain or address.rpartition("@")[2]).strip().lower())
    deals = hubspot.get_deals(contact_id=contact.id) if contact is not None else []
    if not deals and company is not None:
        deals = hubspot.get_deals(company_id=company.id)
    owner_id = (contact.owner_id if contact else None) or (company.owner_id if company else None)
    return CrmLookup(
        contact=contact,
        company=company,
        deals=tuple(deals),
        owner=hubspot.get_owner(owner_id) if owner_id else None,
    )
