"""HubSpot CRM objects (contacts, companies, notes) and the associations between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from sales_agent.sandbox._errors import InvalidRequestError, NotFoundError
from sales_agent.sandbox._formats import utc_timestamp

__all__ = [
    "ASSOCIATION_TYPES",
    "OBJECT_TYPES",
    "Association",
    "AssociationType",
    "CrmObject",
    "CrmStore",
    "ObjectType",
    "PropertyFilter",
]


class ObjectType(NamedTuple):
    """What differs between object types: system property names and defaults on read."""

    created: str
    modified: str
    defaults: tuple[str, ...]
    required: tuple[str, ...] = ()


OBJECT_TYPES = {
    "contacts": ObjectType(
        "createdate", "lastmodifieddate", ("firstname", "lastname", "email", "createdate")
    ),
    "companies": ObjectType("createdate", "hs_lastmodifieddate", ("name", "domain", "createdate")),
    "notes": ObjectType(
        "hs_createdate", "hs_lastmodifieddate", ("hs_createdate",), required=("hs_timestamp",)
    ),
}


class AssociationType(NamedTuple):
    """A HUBSPOT_DEFINED association type id, read as `from_type` -> `to_type`."""

    from_type: str
    to_type: str
    name: str
    inverse: int


ASSOCIATION_TYPES = {
    1: AssociationType("contacts", "companies", "contact_to_company", 2),
    2: AssociationType("companies", "contacts", "company_to_contact", 1),
    279: AssociationType("contacts", "companies", "contact_to_company_unlabeled", 280),
    280: AssociationType("companies", "contacts", "company_to_contact_unlabeled", 279),
    201: AssociationType("contacts", "notes", "contact_to_note", 202),
    202: AssociationType("notes", "contacts", "note_to_contact", 201),
    189: AssociationType("companies", "notes", "company_to_note", 190),
    190: AssociationType("notes", "companies", "note_to_company", 189),
}

# Properties HubSpot stores as datetimes and normalises to ISO 8601 with milliseconds.
_DATETIME_PROPERTIES = frozenset({"hs_timestamp"})


class PropertyFilter(NamedTuple):
    """One search filter; filters in a group are ANDed, groups are ORed."""

    property_name: str
    operator: str
    value: str | None = None


@dataclass
class CrmObject:
    """A CRM record: its properties are strings (or unset), as HubSpot stores them."""

    object_type: str
    id: str
    properties: dict[str, str | None]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Association:
    """One directed association; reads from the other side use the inverse type."""

    from_type: str
    from_id: str
    to_type: str
    to_id: str
    type_id: int


def _matches(obj: CrmObject, flt: PropertyFilter) -> bool:
    actual = obj.properties.get(flt.property_name)
    if flt.operator == "HAS_PROPERTY":
        return actual not in (None, "")
    if flt.operator == "NOT_HAS_PROPERTY":
        return actual in (None, "")
    equal = actual is not None and actual.lower() == (flt.value or "").lower()
    if flt.operator == "EQ":
        return equal
    if flt.operator == "NEQ":
        return not equal
    raise InvalidRequestError(f"The sandbox does not support the operator {flt.operator!r} yet")


def _normalise_datetime(name: str, value: str) -> str:
    try:
        if value.isdigit():
            moment = datetime.fromtimestamp(int(value) / 1000, tz=UTC)
        else:
            moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidRequestError(
            f"Property values were not valid: {name}={value!r} is not a datetime"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return utc_timestamp(moment, millis=True)


@dataclass
class CrmStore:
    """All CRM records by object type, with their associations."""

    objects: dict[str, dict[str, CrmObject]] = field(
        default_factory=lambda: {name: {} for name in OBJECT_TYPES}
    )
    associations: list[Association] = field(default_factory=list)
    _next_id: int = 5001

    def get(self, object_type: str, object_id: str) -> CrmObject:
        """Return one record, or raise a 404 naming what was asked for."""
        found = self.objects[object_type].get(object_id)
        if found is None:
            raise NotFoundError(f"Object not found.  objectId are usually numeric: {object_id}")
        return found

    def search(self, object_type: str, groups: list[list[PropertyFilter]]) -> list[CrmObject]:
        """Return the records matching any group (all filters of a group), in id order."""
        records = sorted(self.objects[object_type].values(), key=lambda o: int(o.id))
        if not groups:
            return records
        return [o for o in records if any(all(_matches(o, f) for f in g) for g in groups)]

    def create(
        self,
        object_type: str,
        properties: dict[str, str | None],
        associations: list[tuple[str, int]],
        *,
        now: datetime,
        object_id: str | None = None,
    ) -> CrmObject:
        """Store a record and its associations, given as (target id, association type id)."""
        kind = OBJECT_TYPES[object_type]
        missing = [name for name in kind.required if not properties.get(name)]
        if missing:
            raise InvalidRequestError(f"Missing required properties: {', '.join(missing)}")
        for target_id, type_id in associations:
            assoc_type = ASSOCIATION_TYPES.get(type_id)
            if assoc_type is None or assoc_type.from_type != object_type:
                raise InvalidRequestError(
                    f"association type {type_id} cannot start from {object_type}"
                )
            if target_id not in self.objects[assoc_type.to_type]:
                raise InvalidRequestError(f"{assoc_type.to_type} {target_id} does not exist")
        if object_id is None:
            object_id = str(self._next_id)
            self._next_id += 1
        stamp = utc_timestamp(now, millis=True)
        values = {
            name: _normalise_datetime(name, value)
            if name in _DATETIME_PROPERTIES and value
            else value
            for name, value in properties.items()
        }
        values.update({"hs_object_id": object_id, kind.created: stamp, kind.modified: stamp})
        record = CrmObject(object_type, object_id, values, created_at=now, updated_at=now)
        self.objects[object_type][object_id] = record
        for target_id, type_id in associations:
            to_type = ASSOCIATION_TYPES[type_id].to_type
            self.associations.append(
                Association(object_type, object_id, to_type, target_id, type_id)
            )
        return record

    def associated(self, object_type: str, object_id: str, to_type: str) -> list[tuple[str, str]]:
        """List (id, association type name) of the `to_type` records linked to this one."""
        linked: list[tuple[str, str]] = []
        for a in self.associations:
            if (a.from_type, a.from_id, a.to_type) == (object_type, object_id, to_type):
                linked.append((a.to_id, ASSOCIATION_TYPES[a.type_id].name))
            elif (a.to_type, a.to_id, a.from_type) == (object_type, object_id, to_type):
                inverse = ASSOCIATION_TYPES[a.type_id].inverse
                linked.append((a.from_id, ASSOCIATION_TYPES[inverse].name))
        return linked
