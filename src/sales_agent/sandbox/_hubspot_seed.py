"""The HubSpot section of the seed (`data/hubspot.json`) and the CRM and forms built from it.

Records are created `days_ago` days before the start date; their datetime properties are
whole days from the start date (`dates`, negative in the past). Form submissions are dated
"days_ago at local_time" in the operator's time zone, so the portal always looks current.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from sales_agent.sandbox._crm_store import CrmStore, Owner
from sales_agent.sandbox._formats import utc_timestamp

__all__ = [
    "Form",
    "FormField",
    "FormSubmission",
    "SeedHubSpot",
    "build_crm",
    "build_form_submissions",
    "build_forms",
]

# Seeded datetime properties fall at this hour (UTC) of their day.
_DATE_HOUR = time(10, 0, tzinfo=UTC)
_OBJECT_TYPES = ("companies", "contacts", "deals", "notes", "tasks")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FormField(_Model):
    """One field of a form: the contact property it fills and how it is shown."""

    name: str
    label: str
    field_type: str
    required: bool


class Form(_Model):
    """A HubSpot form definition (marketing v3), the fields flattened into one group."""

    id: str
    name: str
    created_at: datetime
    fields: list[FormField]


class FormSubmission(_Model):
    """A HubSpot form submission (forms v1 `conversionId`, `values` flattened by name)."""

    id: str
    form_id: str
    page_url: str
    submitted_at: datetime
    values: dict[str, str]


class _SeedRecord(_Model):
    id: str
    days_ago: int = Field(ge=0)
    properties: dict[str, str]
    dates: dict[str, int] = {}


class _SeedAssociation(_Model):
    from_type: str
    from_id: str
    to_type: str
    to_id: str
    type_id: int


class _SeedOwner(_Model):
    id: str
    first_name: str
    last_name: str
    email: str
    user_id: int


class _SeedForm(_Model):
    id: str
    name: str
    days_ago: int = Field(ge=0)
    fields: list[FormField]


class _SeedFormSubmission(_Model):
    id: str
    form_id: str
    page_url: str
    days_ago: int = Field(ge=0)
    local_time: str = "09:00"
    values: dict[str, str]


class SeedHubSpot(_Model):
    """The `hubspot` section of the seed, validated."""

    owners: list[_SeedOwner] = []
    companies: list[_SeedRecord]
    contacts: list[_SeedRecord]
    deals: list[_SeedRecord] = []
    notes: list[_SeedRecord] = []
    tasks: list[_SeedRecord] = []
    associations: list[_SeedAssociation]
    forms: list[_SeedForm] = []
    form_submissions: list[_SeedFormSubmission]


def _properties(record: _SeedRecord, now: datetime) -> dict[str, str | None]:
    day = now.astimezone(UTC).date()
    dates = {
        name: utc_timestamp(datetime.combine(day + timedelta(days=offset), _DATE_HOUR), millis=True)
        for name, offset in record.dates.items()
    }
    return {**record.properties, **dates}


def build_crm(hubspot: SeedHubSpot, now: datetime) -> CrmStore:
    """Build owners, then each object type in an order where association targets exist."""
    store = CrmStore()
    for owner in hubspot.owners:
        store.owners[owner.id] = Owner(
            id=owner.id,
            first_name=owner.first_name,
            last_name=owner.last_name,
            email=owner.email,
            user_id=owner.user_id,
            created_at=now - timedelta(days=800),
        )
    for object_type in _OBJECT_TYPES:
        for record in getattr(hubspot, object_type):
            links = [
                (a.to_id, a.type_id)
                for a in hubspot.associations
                if (a.from_type, a.from_id) == (object_type, record.id)
            ]
            store.create(
                object_type,
                _properties(record, now),
                links,
                now=now - timedelta(days=record.days_ago),
                object_id=record.id,
            )
    return store


def build_forms(hubspot: SeedHubSpot, now: datetime) -> list[Form]:
    """Build the portal's form definitions."""
    return [
        Form(
            id=form.id,
            name=form.name,
            created_at=now - timedelta(days=form.days_ago),
            fields=form.fields,
        )
        for form in hubspot.forms
    ]


def build_form_submissions(
    hubspot: SeedHubSpot, time_zone: str, now: datetime
) -> list[FormSubmission]:
    """Build the seeded form submissions, newest first as the forms API lists them."""
    zone = ZoneInfo(time_zone)
    today = now.astimezone(zone).date()
    submissions = [
        FormSubmission(
            id=sub.id,
            form_id=sub.form_id,
            page_url=sub.page_url,
            submitted_at=datetime.combine(
                today - timedelta(days=sub.days_ago), time.fromisoformat(sub.local_time), zone
            ).astimezone(UTC),
            values=dict(sub.values),
        )
        for sub in hubspot.form_submissions
    ]
    return sorted(submissions, key=lambda s: s.submitted_at, reverse=True)
