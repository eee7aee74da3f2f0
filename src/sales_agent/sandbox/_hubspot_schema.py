"""What HubSpot knows about each object type: its properties, and the association types.

The sandbox refuses what the real portal would: unknown or read-only properties, values
outside an enumeration, numbers and datetimes that do not parse. Datetimes are stored the
way HubSpot returns them, ISO 8601 in UTC with milliseconds.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import NamedTuple

from sales_agent.sandbox._errors import InvalidRequestError
from sales_agent.sandbox._formats import utc_timestamp

__all__ = [
    "ASSOCIATION_TYPES",
    "OBJECT_TYPES",
    "AssociationType",
    "ObjectType",
    "to_number",
    "validate_properties",
]

_LIFECYCLE = (
    "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
    "customer", "evangelist", "other",
)  # fmt: skip
_LEAD_STATUS = (
    "NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT",
    "CONNECTED", "BAD_TIMING",
)  # fmt: skip
_DEAL_STAGES = (
    "appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin",
    "contractsent", "closedwon", "closedlost",
)  # fmt: skip
# A property's kind: "string", "number", "datetime", "owner" (an owner's id), or the options
# of an enumeration.
Kind = str | tuple[str, ...]
_OWNED: dict[str, Kind] = {"hubspot_owner_id": "owner"}


class ObjectType(NamedTuple):
    """What differs between object types: their properties and system property names."""

    created: str
    modified: str
    defaults: tuple[str, ...]
    properties: Mapping[str, Kind]
    required: tuple[str, ...] = ()


OBJECT_TYPES = {
    "contacts": ObjectType(
        "createdate",
        "lastmodifieddate",
        ("firstname", "lastname", "email", "createdate"),
        {
            **dict.fromkeys(("firstname", "lastname", "email", "jobtitle", "company"), "string"),
            **dict.fromkeys(("phone", "city", "country", "website", "message"), "string"),
            "hs_timezone": "string",  # HubSpot's own spelling: "america_slash_new_york"
            "associatedcompanyid": "number",
            "lifecyclestage": _LIFECYCLE,
            "hs_lead_status": _LEAD_STATUS,
            **_OWNED,
        },
    ),
    "companies": ObjectType(
        "createdate",
        "hs_lastmodifieddate",
        ("name", "domain", "createdate"),
        {
            **dict.fromkeys(("name", "domain", "industry", "city", "country"), "string"),
            **dict.fromkeys(("phone", "website", "description", "funding_stage"), "string"),
            "numberofemployees": "number",
            "annualrevenue": "number",
            "lifecyclestage": _LIFECYCLE,
            **_OWNED,
        },
    ),
    "deals": ObjectType(
        "createdate",
        "hs_lastmodifieddate",
        ("dealname", "amount", "dealstage", "pipeline", "closedate", "createdate"),
        {
            "dealname": "string",
            "description": "string",
            "amount": "number",
            "closedate": "datetime",
            "dealstage": _DEAL_STAGES,
            "pipeline": ("default",),
            **_OWNED,
        },
        required=("dealname", "dealstage"),
    ),
    "notes": ObjectType(
        "hs_createdate",
        "hs_lastmodifieddate",
        ("hs_createdate",),
        {"hs_note_body": "string", "hs_timestamp": "datetime", **_OWNED},
        required=("hs_timestamp",),
    ),
    "tasks": ObjectType(
        "hs_createdate",
        "hs_lastmodifieddate",
        ("hs_createdate",),
        {
            "hs_task_subject": "string",
            "hs_task_body": "string",
            "hs_timestamp": "datetime",
            "hs_task_status": ("NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"),
            "hs_task_priority": ("NONE", "LOW", "MEDIUM", "HIGH"),
            "hs_task_type": ("EMAIL", "CALL", "TODO", "LINKED_IN"),
            **_OWNED,
        },
        required=("hs_timestamp",),
    ),
}


class AssociationType(NamedTuple):
    """A HUBSPOT_DEFINED association type id, read as `from_type` -> `to_type`."""

    from_type: str
    to_type: str
    name: str
    inverse: int


def _singular(name: str) -> str:
    return "company" if name == "companies" else name.removesuffix("s")


def _both_ways(*rows: tuple[int, int, str, str]) -> dict[int, AssociationType]:
    """Each (type id, inverse id, from type, to type) and its inverse."""
    types: dict[int, AssociationType] = {}
    for type_id, inverse, source, target in rows:
        forward = f"{_singular(source)}_to_{_singular(target)}"
        backward = f"{_singular(target)}_to_{_singular(source)}"
        types[type_id] = AssociationType(source, target, forward, inverse)
        types[inverse] = AssociationType(target, source, backward, type_id)
    return types


ASSOCIATION_TYPES = _both_ways(
    (1, 2, "contacts", "companies"),
    (3, 4, "deals", "contacts"),
    (5, 6, "deals", "companies"),
    (202, 201, "notes", "contacts"),
    (190, 189, "notes", "companies"),
    (214, 213, "notes", "deals"),
    (204, 203, "tasks", "contacts"),
    (192, 191, "tasks", "companies"),
    (216, 215, "tasks", "deals"),
)


def to_number(value: str | None) -> float | None:
    """A number, or a datetime (ISO 8601 or epoch milliseconds) as epoch milliseconds."""
    if value is None or value == "":
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp() * 1000


def _problem(name: str, error: str, message: str) -> dict[str, object]:
    return {"isValid": False, "message": message, "error": error, "name": name}


def _check(
    name: str, kind: Kind, value: str, owner_ids: Collection[str]
) -> tuple[str, dict[str, object] | None]:
    """The value as stored, or a problem in HubSpot's words."""
    if kind == "owner" and value not in owner_ids:
        return value, _problem(name, "INVALID_OPTION", f"{value} is not a valid owner id")
    if isinstance(kind, tuple):
        if value in kind:
            return value, None
        message = f"{value} was not one of the allowed options: {', '.join(kind)}"
        return value, _problem(name, "INVALID_OPTION", message)
    if kind == "number":
        try:
            float(value)
        except ValueError:
            return value, _problem(name, "INVALID_INTEGER", f"{value} is not a valid number")
    if kind == "datetime":
        millis = to_number(value)
        if millis is None:
            return value, _problem(name, "INVALID_DATE", f"{value} is not a valid datetime")
        return utc_timestamp(datetime.fromtimestamp(millis / 1000, tz=UTC), millis=True), None
    return value, None


def validate_properties(
    object_type: str,
    properties: Mapping[str, str | None],
    *,
    creating: bool,
    owner_ids: Collection[str],
) -> dict[str, str | None]:
    """Check names and values against the schema; raise HubSpot's 400 listing every problem."""
    kind = OBJECT_TYPES[object_type]
    stored: dict[str, str | None] = {}
    problems: list[dict[str, object]] = []
    read_only = {"hs_object_id", kind.created, kind.modified}
    for name, value in properties.items():
        if name in read_only:
            message = f"{name} is a read only property; its value cannot be set."
            problems.append(_problem(name, "READ_ONLY_VALUE", message))
        elif name not in kind.properties:
            message = f'Property "{name}" does not exist'
            problems.append(_problem(name, "PROPERTY_DOESNT_EXIST", message))
        elif not value:  # HubSpot clears a property set to an empty string
            stored[name] = None
        else:
            stored[name], problem = _check(name, kind.properties[name], value, owner_ids)
            problems += [problem] if problem else []
    if creating:
        problems += [
            _problem(name, "REQUIRED_PROPERTY", f"Property {name} is required")
            for name in kind.required
            if not properties.get(name)
        ]
    if problems:
        raise InvalidRequestError(f"Property values were not valid: {json.dumps(problems)}")
    if object_type == "contacts" and stored.get("email"):
        stored["email"] = str(stored["email"]).lower()
    return stored
