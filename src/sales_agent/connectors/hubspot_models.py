"""What the HubSpot connector returns and accepts beyond contacts, companies and notes.

Contacts, companies and notes stay in `tools.models` (the graph reads them); deals, tasks,
owners, forms, search filters and pages live here.
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from sales_agent.domain.crm_records import CrmDeal

__all__ = [
    "ArchivedRecord",
    "CrmDeal",
    "CrmFilter",
    "CrmOwner",
    "CrmPage",
    "CrmSort",
    "CrmTask",
    "FilterOperator",
    "FormSubmissionPage",
    "HubSpotForm",
    "HubSpotFormSubmission",
]

T = TypeVar("T")

FilterOperator = Literal[
    "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY",
    "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN",
]  # fmt: skip


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class ArchivedRecord(_Frozen):
    """A deleted (archived) record, as the list endpoint names it with `archived=true`."""

    id: str
    archived_at: AwareDatetime | None = Field(default=None, description="When it was deleted.")


class CrmTask(_Frozen):
    """A HubSpot task and the records it is attached to."""

    id: str
    subject: str | None = None
    body: str | None = None
    due: AwareDatetime | None = Field(default=None, description="hs_timestamp, in UTC.")
    status: str | None = None
    priority: str | None = None
    task_type: str | None = None
    owner_id: str | None = None
    contact_ids: list[str] = Field(default_factory=list)
    company_ids: list[str] = Field(default_factory=list)
    deal_ids: list[str] = Field(default_factory=list)


class CrmOwner(_Frozen):
    """A user of the portal who can own records."""

    id: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    user_id: int | None = None


class CrmFilter(_Frozen):
    """One search condition on a property; a search ANDs its filters."""

    property: str
    operator: FilterOperator
    value: str | None = None
    values: list[str] | None = Field(default=None, description="For IN and NOT_IN.")
    high_value: str | None = Field(default=None, description="Upper bound for BETWEEN.")


class CrmSort(_Frozen):
    """Order search results by a property."""

    property: str
    descending: bool = False


class CrmPage(_Frozen, Generic[T]):
    """One page of records; pass `after` back to get the next page."""

    results: list[T]
    total: int | None = Field(default=None, description="All matches (search only).")
    after: str | None = Field(default=None, description="None on the last page.")


class HubSpotForm(_Frozen):
    """A form of the portal, by id and name, with the properties its fields fill."""

    id: str
    name: str
    created_at: AwareDatetime | None = None
    field_names: list[str] = Field(default_factory=list)


class HubSpotFormSubmission(_Frozen):
    """One submission of a form: who filled it, when, on which page."""

    conversion_id: str | None = None
    form_id: str
    submitted_at: AwareDatetime
    page_url: str | None = None
    values: dict[str, str] = Field(default_factory=dict, description="Field name -> value.")


class FormSubmissionPage(_Frozen):
    """A page of submissions, newest first; pass `after` back to get the next page."""

    results: list[HubSpotFormSubmission]
    after: str | None = None
