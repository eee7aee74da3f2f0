"""HubSpot connector: contacts, companies and deals, plus notes, tasks, owners and forms.

Reads back the LLM tools; writes are for deterministic nodes only. Contact property updates
are limited to the configured allowlist (`SALES_AGENT_HUBSPOT_WRITABLE_PROPERTIES`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from sales_agent.connectors.hubspot_base import PropertyNotAllowedError
from sales_agent.connectors.hubspot_engagements import HubSpotEngagements
from sales_agent.connectors.hubspot_models import (
    ArchivedRecord,
    CrmDeal,
    CrmFilter,
    CrmPage,
    CrmSort,
)
from sales_agent.connectors.hubspot_objects import (
    CONTACT_TO_COMPANY,
    DEAL_TO_COMPANY,
    DEAL_TO_CONTACT,
    Link,
)
from sales_agent.connectors.hubspot_parse import (
    COMPANY_PROPERTIES,
    CONTACT_PROPERTIES,
    DEAL_PROPERTIES,
    parse_company,
    parse_contact,
    parse_deal,
)
from sales_agent.connectors.hubspot_portal import HubSpotPortal
from sales_agent.domain.crm_records import CrmCompany, CrmContact

__all__ = ["HubSpotClient"]

_DEAL_LINKS = ("contacts", "companies")


class HubSpotClient(HubSpotEngagements, HubSpotPortal):
    """CRM records through HubSpot's v3 objects API (and v4 associations)."""

    # Contacts

    def find_contact_by_email(self, email: str) -> CrmContact | None:
        """Return the contact with this email address (any case), or None."""
        match = CrmFilter(property="email", operator="EQ", value=email)
        found, _, _ = self._search("contacts", [match], CONTACT_PROPERTIES, limit=1)
        return parse_contact(found[0]) if found else None

    def get_contact(self, contact_id: str) -> CrmContact:
        """Return one contact; a ConnectorError with status 404 if there is none."""
        return parse_contact(self._read("contacts", contact_id, CONTACT_PROPERTIES))

    def list_contacts(self, *, limit: int = 100, after: str | None = None) -> CrmPage[CrmContact]:
        """One page of every contact, in id order (at most 100 a page)."""
        records, next_after = self._list("contacts", CONTACT_PROPERTIES, min(limit, 100), after)
        return CrmPage(results=[parse_contact(r) for r in records], after=next_after)

    def search_contacts(
        self,
        filters: Sequence[CrmFilter] = (),
        *,
        sort: CrmSort | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> CrmPage[CrmContact]:
        """Contacts matching every filter, one page at a time (at most 200 a page)."""
        records, total, next_after = self._search(
            "contacts", filters, CONTACT_PROPERTIES, sort=sort, limit=limit, after=after
        )
        return CrmPage(results=[parse_contact(r) for r in records], total=total, after=next_after)

    def create_contact(
        self, properties: Mapping[str, str], *, company_id: str | None = None
    ) -> CrmContact:
        """Create a contact, its primary company set when given; HubSpot refuses a taken email."""
        links: list[Link] = [(company_id, CONTACT_TO_COMPANY)] if company_id else []
        return parse_contact(self._create("contacts", properties, links))

    def update_contact_properties(
        self, contact_id: str, properties: Mapping[str, str]
    ) -> CrmContact:
        """Set allowlisted properties of a contact; refuse the whole update otherwise."""
        refused = set(properties) - self._writable
        if refused:
            raise PropertyNotAllowedError(refused, self._writable)
        return parse_contact(self._update("contacts", contact_id, properties))

    # Companies

    def find_company_by_domain(self, domain: str) -> CrmCompany | None:
        """Return the company with this domain, or None."""
        match = CrmFilter(property="domain", operator="EQ", value=domain)
        found, _, _ = self._search("companies", [match], COMPANY_PROPERTIES, limit=1)
        return parse_company(found[0]) if found else None

    def get_company(self, company_id: str) -> CrmCompany:
        """Return one company; a ConnectorError with status 404 if there is none."""
        return parse_company(self._read("companies", company_id, COMPANY_PROPERTIES))

    def search_companies(
        self,
        filters: Sequence[CrmFilter] = (),
        *,
        sort: CrmSort | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> CrmPage[CrmCompany]:
        """Companies matching every filter, one page at a time (at most 200 a page)."""
        records, total, next_after = self._search(
            "companies", filters, COMPANY_PROPERTIES, sort=sort, limit=limit, after=after
        )
        return CrmPage(results=[parse_company(r) for r in records], total=total, after=next_after)

    def list_archived(
        self,
        object_type: Literal["contacts", "companies", "deals"],
        *,
        limit: int = 100,
        after: str | None = None,
    ) -> CrmPage[ArchivedRecord]:
        """One page of the deleted (archived) records of a type, in id order."""
        records, next_after = self._list(object_type, [], min(limit, 100), after, archived=True)
        return CrmPage(
            results=[ArchivedRecord(id=str(r.id), archived_at=r.archived_at) for r in records],
            after=next_after,
        )

    def list_companies(self, *, limit: int = 100, after: str | None = None) -> CrmPage[CrmCompany]:
        """One page of every company, in id order (at most 100 a page)."""
        records, next_after = self._list("companies", COMPANY_PROPERTIES, min(limit, 100), after)
        return CrmPage(results=[parse_company(r) for r in records], after=next_after)

    def create_company(self, properties: Mapping[str, str]) -> CrmCompany:
        """Create a company."""
        return parse_company(self._create("companies", properties))

    def update_company(self, company_id: str, properties: Mapping[str, str]) -> CrmCompany:
        """Change some properties of a company."""
        return parse_company(self._update("companies", company_id, properties))

    # Deals

    def get_deal(self, deal_id: str) -> CrmDeal:
        """One deal with its contacts and companies; a ConnectorError 404 if there is none."""
        return parse_deal(self._read("deals", deal_id, DEAL_PROPERTIES, _DEAL_LINKS))

    def search_deals(
        self,
        filters: Sequence[CrmFilter] = (),
        *,
        sort: CrmSort | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> CrmPage[CrmDeal]:
        """Deals matching every filter, one page at a time (at most 200 a page)."""
        records, total, next_after = self._search(
            "deals", filters, DEAL_PROPERTIES, sort=sort, limit=limit, after=after
        )
        return CrmPage(results=[parse_deal(r) for r in records], total=total, after=next_after)

    def create_deal(
        self,
        properties: Mapping[str, str],
        *,
        contact_id: str | None = None,
        company_id: str | None = None,
    ) -> CrmDeal:
        """Create a deal (in the default pipeline unless `pipeline` is set), associated."""
        links: list[Link] = []
        if contact_id is not None:
            links.append((contact_id, DEAL_TO_CONTACT))
        if company_id is not None:
            links.append((company_id, DEAL_TO_COMPANY))
        return parse_deal(self._create("deals", {"pipeline": "default", **properties}, links))

    def update_deal(self, deal_id: str, properties: Mapping[str, str]) -> CrmDeal:
        """Change some properties of a deal (its stage, amount, close date)."""
        return parse_deal(self._update("deals", deal_id, properties))

    def list_deals(self, *, limit: int = 100, after: str | None = None) -> CrmPage[CrmDeal]:
        """One page of every deal with its contacts and companies, in id order."""
        records, next_after = self._list(
            "deals", DEAL_PROPERTIES, min(limit, 100), after, associations=_DEAL_LINKS
        )
        return CrmPage(results=[parse_deal(r) for r in records], after=next_after)

    def get_deals(
        self, *, contact_id: str | None = None, company_id: str | None = None
    ) -> list[CrmDeal]:
        """The deals associated with one contact or one company, in id order."""
        if (contact_id is None) == (company_id is None):
            raise ValueError("pass exactly one of contact_id and company_id")
        source, source_id = ("contacts", contact_id) if contact_id else ("companies", company_id)
        assert source_id is not None
        ids = sorted(self._linked_ids(source, source_id, "deals"), key=int)
        return [parse_deal(r) for r in self._read_many("deals", ids, DEAL_PROPERTIES)]
