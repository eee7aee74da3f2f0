"""HubSpot connector: find contacts and companies, write notes attached to them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import urllib3
from hubspot import HubSpot
from hubspot.crm.companies import ApiException as CompaniesApiException
from hubspot.crm.contacts import ApiException as ContactsApiException
from hubspot.crm.contacts import Filter, FilterGroup, PublicObjectSearchRequest
from hubspot.crm.objects.notes import ApiException as NotesApiException
from hubspot.crm.objects.notes import (
    AssociationSpec,
    PublicAssociationsForObject,
    PublicObjectId,
    SimplePublicObjectInputForCreate,
)

from sales_agent.errors import ConnectorError
from sales_agent.tools.models import CrmCompany, CrmContact, CrmNote
from sales_agent.tools.retry import (
    DEFAULT_RETRY,
    TRANSIENT_STATUSES,
    RetryPolicy,
    TransientConnectorError,
    call_with_retry,
    parse_retry_after,
)

__all__ = ["NOTE_TO_COMPANY", "NOTE_TO_CONTACT", "HubSpotClient", "hubspot_api"]

T = TypeVar("T")

_SERVICE = "hubspot"
_TIMEOUT_SECONDS = 20.0
# HUBSPOT_DEFINED association type ids (v4), read from the note's side.
NOTE_TO_CONTACT = 202
NOTE_TO_COMPANY = 190
_CONTACT_PROPERTIES = [
    "email", "firstname", "lastname", "jobtitle", "company", "associatedcompanyid"
]  # fmt: skip
_COMPANY_PROPERTIES = [
    "name", "domain", "industry", "numberofemployees", "funding_stage", "lifecyclestage"
]  # fmt: skip
# Each generated sub-package has its own exception class.
_API_EXCEPTIONS = (ContactsApiException, CompaniesApiException, NotesApiException)


def hubspot_api(access_token: str, host: str | None = None) -> Any:
    """Build the HubSpot client; `host` points it at the sandbox. Its own retries are off."""
    options: dict[str, Any] = {"access_token": access_token, "retry": urllib3.Retry(total=0)}
    if host is not None:
        options["host"] = host.rstrip("/")
    return HubSpot(**options)


def _error_message(error: Exception) -> str:
    """HubSpot's own `message` from the JSON body, else the HTTP reason phrase."""
    try:
        return str(json.loads(getattr(error, "body", None) or "")["message"])
    except (ValueError, KeyError, TypeError):
        return str(getattr(error, "reason", None) or "no reason given")


def _translate(error: Exception) -> ConnectorError:
    status = int(getattr(error, "status", 0) or 0)
    message = f"HTTP {status}: {_error_message(error)}"
    if status in TRANSIENT_STATUSES:
        headers = getattr(error, "headers", None) or {}
        retry_after = parse_retry_after(headers.get("Retry-After"))
        return TransientConnectorError(_SERVICE, message, status=status, retry_after=retry_after)
    if status == 401:
        message += " (check SALES_AGENT_HUBSPOT_ACCESS_TOKEN)"
    return ConnectorError(_SERVICE, message, status=status or None)


def _value(value: str | None) -> str | None:
    """HubSpot returns unset properties as None or an empty string; keep None."""
    return value or None


class HubSpotClient:
    """CRM records through HubSpot's v3 objects API."""

    def __init__(self, api: Any, *, retry: RetryPolicy = DEFAULT_RETRY) -> None:
        self._api = api
        self._retry = retry

    def _call(self, call: Callable[[], T]) -> T:
        def once() -> T:
            try:
                return call()
            except _API_EXCEPTIONS as error:
                raise _translate(error) from error
            except urllib3.exceptions.HTTPError as error:  # refused, reset, timed out
                raise TransientConnectorError(_SERVICE, f"connection failed: {error!r}") from error

        return call_with_retry(once, self._retry)

    def _search_one(self, search_api: Any, prop: str, value: str, properties: list[str]) -> Any:
        request = PublicObjectSearchRequest(
            filter_groups=[
                FilterGroup(filters=[Filter(property_name=prop, operator="EQ", value=value)])
            ],
            properties=properties,
            limit=1,
        )
        page = self._call(
            lambda: search_api.do_search(
                public_object_search_request=request, _request_timeout=_TIMEOUT_SECONDS
            )
        )
        return page.results[0] if page.results else None

    def find_contact_by_email(self, email: str) -> CrmContact | None:
        """Return the contact with this email address, or None."""
        found = self._search_one(
            self._api.crm.contacts.search_api, "email", email, _CONTACT_PROPERTIES
        )
        if found is None:
            return None
        props = found.properties
        return CrmContact(
            id=found.id,
            email=props.get("email") or email,
            first_name=_value(props.get("firstname")),
            last_name=_value(props.get("lastname")),
            job_title=_value(props.get("jobtitle")),
            company_name=_value(props.get("company")),
            company_id=_value(props.get("associatedcompanyid")),
        )

    def find_company_by_domain(self, domain: str) -> CrmCompany | None:
        """Return the company with this domain, or None."""
        found = self._search_one(
            self._api.crm.companies.search_api, "domain", domain, _COMPANY_PROPERTIES
        )
        if found is None:
            return None
        props = found.properties
        employees = props.get("numberofemployees")
        return CrmCompany(
            id=found.id,
            name=_value(props.get("name")),
            domain=_value(props.get("domain")),
            industry=_value(props.get("industry")),
            employee_count=int(employees) if employees and employees.isdigit() else None,
            funding_stage=_value(props.get("funding_stage")),
            lifecycle_stage=_value(props.get("lifecyclestage")),
        )

    def create_note(
        self, body: str, contact_id: str, company_id: str | None, timestamp: datetime
    ) -> str:
        """Write a note attached to the contact (and company); return the note id."""
        if timestamp.tzinfo is None:
            raise ValueError("timestamp must be timezone-aware")
        targets = [(contact_id, NOTE_TO_CONTACT)]
        if company_id is not None:
            targets.append((company_id, NOTE_TO_COMPANY))
        note = SimplePublicObjectInputForCreate(
            properties={
                "hs_note_body": body,
                "hs_timestamp": timestamp.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            },
            associations=[
                PublicAssociationsForObject(
                    to=PublicObjectId(id=target),
                    types=[
                        AssociationSpec(
                            association_category="HUBSPOT_DEFINED", association_type_id=type_id
                        )
                    ],
                )
                for target, type_id in targets
            ],
        )
        basic_api = self._api.crm.objects.notes.basic_api
        created = self._call(
            lambda: basic_api.create(
                simple_public_object_input_for_create=note, _request_timeout=_TIMEOUT_SECONDS
            )
        )
        return str(created.id)

    def get_note(self, note_id: str) -> CrmNote:
        """Read a note back with the contacts and companies it is attached to."""
        basic_api = self._api.crm.objects.notes.basic_api
        note = self._call(
            lambda: basic_api.get_by_id(
                note_id,
                properties=["hs_note_body", "hs_timestamp"],
                associations=["contacts", "companies"],
                _request_timeout=_TIMEOUT_SECONDS,
            )
        )
        linked = note.associations or {}

        def ids(kind: str) -> list[str]:
            return [str(a.id) for a in linked[kind].results] if kind in linked else []

        return CrmNote(
            id=str(note.id),
            body=note.properties.get("hs_note_body") or "",
            timestamp=datetime.fromisoformat(note.properties["hs_timestamp"]),
            contact_ids=ids("contacts"),
            company_ids=ids("companies"),
        )
