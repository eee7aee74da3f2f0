"""HubSpot's contacts, companies and deals: as the connectors read them, as the mirror keeps them.

They sit below both: the connectors parse HubSpot into them, and the database layer stores
and reads them back (`db.crm_mirror`) without importing the connectors.
"""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

__all__ = ["CrmCompany", "CrmContact", "CrmDeal"]


class _Record(BaseModel):
    # Frozen like every record; extra fields (a database row's bookkeeping) are ignored.
    model_config = ConfigDict(frozen=True)


class CrmContact(_Record):
    """A HubSpot contact."""

    id: str
    email: str
    first_name: str | None = None
    last_name: str | None = None
    job_title: str | None = None
    company_name: str | None = None
    company_id: str | None = Field(default=None, description="The primary company's id.")
    lifecycle_stage: str | None = None
    lead_status: str | None = Field(default=None, description="hs_lead_status, e.g. OPEN.")
    owner_id: str | None = Field(default=None, description="The HubSpot owner's id.")
    timezone: str | None = Field(
        default=None, description="The contact's IANA time zone (from hs_timezone), if known."
    )
    modified_at: AwareDatetime | None = Field(
        default=None, description="When HubSpot last changed the record (its updatedAt)."
    )


class CrmCompany(_Record):
    """A HubSpot company."""

    id: str
    name: str | None = None
    domain: str | None = None
    industry: str | None = None
    employee_count: int | None = None
    funding_stage: str | None = None
    lifecycle_stage: str | None = None
    city: str | None = None
    country: str | None = None
    owner_id: str | None = Field(default=None, description="The HubSpot owner's id.")
    modified_at: AwareDatetime | None = Field(
        default=None, description="When HubSpot last changed the record (its updatedAt)."
    )


class CrmDeal(_Record):
    """A HubSpot deal, with the contacts and companies it is associated with."""

    id: str
    name: str | None = None
    stage: str | None = Field(default=None, description="Pipeline stage id, e.g. closedwon.")
    amount: float | None = None
    close_date: AwareDatetime | None = None
    pipeline: str | None = None
    owner_id: str | None = None
    contact_ids: tuple[str, ...] = Field(default=(), description="Its associated contacts.")
    company_ids: tuple[str, ...] = Field(default=(), description="Its associated companies.")
    modified_at: AwareDatetime | None = Field(
        default=None, description="When HubSpot last changed the record (its updatedAt)."
    )
