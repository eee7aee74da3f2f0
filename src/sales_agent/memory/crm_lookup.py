"""Reads through the CRM mirror: by index in Postgres, HubSpot only on a miss.

A miss (a contact created since the last sync, before its webhook arrived) is looked up
live and written to the mirror, so the next read, and the gate's name index, know it.
"""

from __future__ import annotations

from psycopg import Connection
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool

from sales_agent.connectors import HubSpotClient
from sales_agent.db.crm_mirror import (
    company_by_domain,
    contact_by_email,
    upsert_companies,
    upsert_contacts,
)
from sales_agent.domain.crm_records import CrmCompany, CrmContact

__all__ = ["company_for_domain", "contact_for_email"]

Pool = ConnectionPool[Connection[DictRow]]


def contact_for_email(pool: Pool, hubspot: HubSpotClient, email: str) -> CrmContact | None:
    """The contact with this address: from the mirror, else from HubSpot (then mirrored)."""
    with pool.connection() as conn:
        found = contact_by_email(conn, email)
    if found is not None:
        return found
    live = hubspot.find_contact_by_email(email)
    if live is not None:
        with pool.connection() as conn:
            upsert_contacts(conn, [live])
    return live


def company_for_domain(pool: Pool, hubspot: HubSpotClient, domain: str) -> CrmCompany | None:
    """The company with this domain: from the mirror, else from HubSpot (then mirrored)."""
    with pool.connection() as conn:
        found = company_by_domain(conn, domain)
    if found is not None:
        return found
    live = hubspot.find_company_by_domain(domain)
    if live is not None:
        with pool.connection() as conn:
            upsert_companies(conn, [live])
    return live
