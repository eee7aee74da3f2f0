"""HubSpot CRM state: records by object type, their associations, and the portal's owners."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sales_agent.sandbox._errors import ConflictError, InvalidRequestError, NotFoundError
from sales_agent.sandbox._formats import utc_timestamp
from sales_agent.sandbox._hubspot_schema import (
    ASSOCIATION_TYPES,
    OBJECT_TYPES,
    validate_properties,
)
from sales_agent.sandbox._hubspot_search import PropertyFilter, Sort, matches, ordered

__all__ = ["Association", "CrmObject", "CrmStore", "Owner"]


@dataclass
class CrmObject:
    """A CRM record: its properties are strings (or unset), as HubSpot stores them."""

    object_type: str
    id: str
    properties: dict[str, str | None]
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = None


@dataclass(frozen=True)
class Association:
    """One directed association; reads from the other side use the inverse type."""

    from_type: str
    from_id: str
    to_type: str
    to_id: str
    type_id: int


@dataclass(frozen=True)
class Owner:
    """A user of the portal who can own records."""

    id: str
    first_name: str
    last_name: str
    email: str
    user_id: int
    created_at: datetime


PRIMARY_COMPANY = 1  # contact_to_company, the primary company


def _not_found(object_id: str) -> NotFoundError:
    return NotFoundError(f"Object not found.  objectId are usually numeric: {object_id}")


@dataclass
class CrmStore:
    """All CRM records by object type, with their associations and owners."""

    objects: dict[str, dict[str, CrmObject]] = field(
        default_factory=lambda: {name: {} for name in OBJECT_TYPES}
    )
    associations: list[Association] = field(default_factory=list)
    owners: dict[str, Owner] = field(default_factory=dict)
    archived: dict[str, dict[str, CrmObject]] = field(
        default_factory=lambda: {name: {} for name in OBJECT_TYPES}
    )
    """Deleted (archived) records, listed with `archived=true` until HubSpot purges them."""
    _next_id: int = 5001
    # Indexes kept beside the records, so a workspace of 100,000 contacts answers a page,
    # a read or an association in time that does not grow with it.
    _in_order: dict[str, list[CrmObject]] = field(default_factory=dict)
    _links: defaultdict[tuple[str, str, str], list[tuple[str, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def get(self, object_type: str, object_id: str, *, id_property: str | None = None) -> CrmObject:
        """Return one record by id (or by a unique property such as email), else a 404."""
        if id_property in (None, "hs_object_id"):
            found = self.objects[object_type].get(object_id)
        else:
            wanted = object_id.lower()
            found = next(
                (
                    o
                    for o in self.objects[object_type].values()
                    if (o.properties.get(id_property or "") or "").lower() == wanted
                ),
                None,
            )
        if found is None:
            raise _not_found(object_id)
        return found

    def records(self, object_type: str) -> list[CrmObject]:
        """Every record of a type, in id order (the order HubSpot lists them)."""
        if object_type not in self._in_order:
            self._in_order[object_type] = sorted(
                self.objects[object_type].values(), key=lambda o: int(o.id)
            )
        return self._in_order[object_type]

    def records_from(
        self, object_type: str, start: int, limit: int, *, archived: bool = False
    ) -> list[CrmObject]:
        """Up to `limit` records whose id is at least `start`, in id order (a list page)."""
        if archived:
            ordered = sorted(self.archived[object_type].values(), key=lambda o: int(o.id))
        else:
            ordered = self.records(object_type)
        first = bisect_left(ordered, start, key=lambda o: int(o.id))
        return ordered[first : first + limit]

    def archive(self, object_type: str, object_id: str, *, now: datetime) -> None:
        """Delete a record as HubSpot does: it moves to the archived list (a 404 if unknown)."""
        record = self.get(object_type, object_id)
        del self.objects[object_type][object_id]
        self._in_order.pop(object_type, None)
        record.archived_at = now
        self.archived[object_type][object_id] = record

    def purge(self, object_type: str, object_id: str) -> None:
        """Delete a record for good (a GDPR deletion): not even the archived list keeps it."""
        if object_id in self.objects[object_type]:
            del self.objects[object_type][object_id]
            self._in_order.pop(object_type, None)
        elif self.archived[object_type].pop(object_id, None) is None:
            raise _not_found(object_id)

    def insert(self, record: CrmObject, associations: Sequence[Association] = ()) -> None:
        """Store a record built elsewhere (generated at scale), unchecked, with its links."""
        self.objects[record.object_type][record.id] = record
        self._in_order.pop(record.object_type, None)
        self._next_id = max(self._next_id, int(record.id) + 1)
        for association in associations:
            self._link(association)

    def _link(self, a: Association) -> None:
        self.associations.append(a)
        self._links[(a.from_type, a.from_id, a.to_type)].append((a.to_id, a.type_id))
        inverse = ASSOCIATION_TYPES[a.type_id].inverse
        self._links[(a.to_type, a.to_id, a.from_type)].append((a.from_id, inverse))

    def search(
        self,
        object_type: str,
        groups: Sequence[Sequence[PropertyFilter]],
        sorts: Sequence[Sort] = (),
    ) -> list[CrmObject]:
        """The records matching any group (all filters of a group), sorted."""
        found = [
            o
            for o in self.records(object_type)
            if not groups or any(all(matches(o.properties, f) for f in g) for g in groups)
        ]
        return ordered(found, sorts, lambda o: o.properties)

    def _check_targets(self, object_type: str, associations: Sequence[tuple[str, int]]) -> None:
        for target_id, type_id in associations:
            kind = ASSOCIATION_TYPES.get(type_id)
            if kind is None or kind.from_type != object_type:
                raise InvalidRequestError(
                    f"association type {type_id} cannot start from {object_type}"
                )
            if target_id not in self.objects[kind.to_type]:
                raise InvalidRequestError(f"{kind.to_type} {target_id} does not exist")

    def _check_unique_email(self, values: Mapping[str, str | None], own_id: str | None) -> None:
        email = values.get("email")
        if not email:
            return
        for other in self.objects["contacts"].values():
            if other.id != own_id and other.properties.get("email") == email:
                raise ConflictError(f"Contact already exists. Existing ID: {other.id}")

    def create(
        self,
        object_type: str,
        properties: Mapping[str, str | None],
        associations: Sequence[tuple[str, int]],
        *,
        now: datetime,
        object_id: str | None = None,
    ) -> CrmObject:
        """Store a record and its associations, given as (target id, association type id)."""
        values = validate_properties(
            object_type, properties, creating=True, owner_ids=self.owners.keys()
        )
        self._check_targets(object_type, associations)
        if object_type == "contacts":
            self._check_unique_email(values, None)
            # A primary company association fills the contact's company id, as in HubSpot.
            primary = [target for target, type_id in associations if type_id == PRIMARY_COMPANY]
            if primary and not values.get("associatedcompanyid"):
                values["associatedcompanyid"] = primary[0]
        if object_type == "deals":
            values.setdefault("pipeline", "default")
        if object_id is None:
            object_id = str(self._next_id)
        self._next_id = max(self._next_id, int(object_id) + 1)
        kind = OBJECT_TYPES[object_type]
        stamp = utc_timestamp(now, millis=True)
        values.update({"hs_object_id": object_id, kind.created: stamp, kind.modified: stamp})
        record = CrmObject(object_type, object_id, values, created_at=now, updated_at=now)
        links = [
            Association(object_type, object_id, ASSOCIATION_TYPES[type_id].to_type, target, type_id)
            for target, type_id in associations
        ]
        self.insert(record, links)
        return record

    def update(
        self,
        object_type: str,
        object_id: str,
        properties: Mapping[str, str | None],
        *,
        now: datetime,
        id_property: str | None = None,
    ) -> CrmObject:
        """Change some properties of a record; the others keep their values."""
        record = self.get(object_type, object_id, id_property=id_property)
        values = validate_properties(
            object_type, properties, creating=False, owner_ids=self.owners.keys()
        )
        if object_type == "contacts":
            self._check_unique_email(values, record.id)
        record.properties.update(values)
        record.properties[OBJECT_TYPES[object_type].modified] = utc_timestamp(now, millis=True)
        record.updated_at = now
        return record

    def associated(self, object_type: str, object_id: str, to_type: str) -> list[tuple[str, int]]:
        """The `to_type` records linked to this one: (id, type id read from this side)."""
        linked = self._links.get((object_type, object_id, to_type), [])
        return sorted(linked, key=lambda pair: int(pair[0]))
