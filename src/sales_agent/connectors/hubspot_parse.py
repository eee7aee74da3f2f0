"""From the client library's objects to our models, and the properties each one reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sales_agent.connectors.hubspot_models import CrmOwner, CrmTask
from sales_agent.connectors.records import CrmNote
from sales_agent.domain.crm_records import CrmCompany, CrmContact, CrmDeal

__all__ = [
    "COMPANY_PROPERTIES",
    "CONTACT_PROPERTIES",
    "DEAL_PROPERTIES",
    "NOTE_PROPERTIES",
    "TASK_PROPERTIES",
    "associated_ids",
    "parse_company",
    "parse_contact",
    "parse_deal",
    "parse_note",
    "parse_owner",
    "parse_task",
]

CONTACT_PROPERTIES = [
    "email", "firstname", "lastname", "jobtitle", "company", "associatedcompanyid",
    "lifecyclestage", "hs_lead_status", "hubspot_owner_id", "hs_timezone",
]  # fmt: skip
COMPANY_PROPERTIES = [
    "name", "domain", "industry", "numberofemployees", "funding_stage", "lifecyclestage",
    "city", "country", "hubspot_owner_id",
]  # fmt: skip
DEAL_PROPERTIES = ["dealname", "dealstage", "amount", "closedate", "pipeline", "hubspot_owner_id"]
NOTE_PROPERTIES = ["hs_note_body", "hs_timestamp"]
TASK_PROPERTIES = [
    "hs_task_subject", "hs_task_body", "hs_timestamp", "hs_task_status", "hs_task_priority",
    "hs_task_type", "hubspot_owner_id",
]  # fmt: skip


def _value(props: dict[str, Any], name: str) -> str | None:
    """HubSpot returns unset properties as None or an empty string; keep None."""
    return props.get(name) or None


def _int(props: dict[str, Any], name: str) -> int | None:
    value = _value(props, name)
    return int(value) if value and value.isdigit() else None


def _float(props: dict[str, Any], name: str) -> float | None:
    value = _value(props, name)
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _datetime(props: dict[str, Any], name: str) -> datetime | None:
    value = _value(props, name)
    return datetime.fromisoformat(value) if value else None


def associated_ids(record: Any, to_type: str) -> list[str]:
    """Ids of the `to_type` records a read with `associations=[to_type]` returned."""
    linked = getattr(record, "associations", None) or {}  # batch reads carry none
    return [str(a.id) for a in linked[to_type].results] if to_type in linked else []


def parse_contact(record: Any) -> CrmContact:
    """A contact read with `CONTACT_PROPERTIES`."""
    props = record.properties
    return CrmContact(
        id=str(record.id),
        email=props.get("email") or "",
        first_name=_value(props, "firstname"),
        last_name=_value(props, "lastname"),
        job_title=_value(props, "jobtitle"),
        company_name=_value(props, "company"),
        company_id=_value(props, "associatedcompanyid"),
        lifecycle_stage=_value(props, "lifecyclestage"),
        lead_status=_value(props, "hs_lead_status"),
        owner_id=_value(props, "hubspot_owner_id"),
        timezone=_timezone(_value(props, "hs_timezone")),
        modified_at=getattr(record, "updated_at", None),
    )


def _timezone(value: str | None) -> str | None:
    """HubSpot's hs_timezone (`america_slash_new_york`) as an IANA name; None when unknown."""
    if value is None:
        return None
    parts = value.split("_slash_") if "_slash_" in value else value.split("/")
    name = "/".join("_".join(w[:1].upper() + w[1:] for w in p.split("_")) for p in parts)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def parse_company(record: Any) -> CrmCompany:
    """A company read with `COMPANY_PROPERTIES`."""
    props = record.properties
    return CrmCompany(
        id=str(record.id),
        name=_value(props, "name"),
        domain=_value(props, "domain"),
        industry=_value(props, "industry"),
        employee_count=_int(props, "numberofemployees"),
        funding_stage=_value(props, "funding_stage"),
        lifecycle_stage=_value(props, "lifecyclestage"),
        city=_value(props, "city"),
        country=_value(props, "country"),
        owner_id=_value(props, "hubspot_owner_id"),
        modified_at=getattr(record, "updated_at", None),
    )


def parse_deal(record: Any) -> CrmDeal:
    """A deal read with `DEAL_PROPERTIES` (and its contacts and companies, when asked for)."""
    props = record.properties
    return CrmDeal(
        id=str(record.id),
        name=_value(props, "dealname"),
        stage=_value(props, "dealstage"),
        amount=_float(props, "amount"),
        close_date=_datetime(props, "closedate"),
        pipeline=_value(props, "pipeline"),
        owner_id=_value(props, "hubspot_owner_id"),
        contact_ids=tuple(associated_ids(record, "contacts")),
        company_ids=tuple(associated_ids(record, "companies")),
        modified_at=getattr(record, "updated_at", None),
    )


def parse_note(record: Any) -> CrmNote:
    """A note read with `NOTE_PROPERTIES` and its contact and company associations."""
    timestamp = _datetime(record.properties, "hs_timestamp")
    assert timestamp is not None, "HubSpot requires hs_timestamp on every note"
    return CrmNote(
        id=str(record.id),
        body=record.properties.get("hs_note_body") or "",
        timestamp=timestamp,
        contact_ids=associated_ids(record, "contacts"),
        company_ids=associated_ids(record, "companies"),
    )


def parse_task(record: Any) -> CrmTask:
    """A task read with `TASK_PROPERTIES` and its associations."""
    props = record.properties
    return CrmTask(
        id=str(record.id),
        subject=_value(props, "hs_task_subject"),
        body=_value(props, "hs_task_body"),
        due=_datetime(props, "hs_timestamp"),
        status=_value(props, "hs_task_status"),
        priority=_value(props, "hs_task_priority"),
        task_type=_value(props, "hs_task_type"),
        owner_id=_value(props, "hubspot_owner_id"),
        contact_ids=associated_ids(record, "contacts"),
        company_ids=associated_ids(record, "companies"),
        deal_ids=associated_ids(record, "deals"),
    )


def parse_owner(owner: Any) -> CrmOwner:
    """A PublicOwner."""
    return CrmOwner(
        id=str(owner.id),
        email=owner.email,
        first_name=owner.first_name,
        last_name=owner.last_name,
        user_id=owner.user_id,
    )
