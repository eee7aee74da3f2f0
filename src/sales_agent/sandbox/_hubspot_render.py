"""HubSpot's wire shapes for CRM records, owners and paging, shared by the HubSpot routers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request

from sales_agent.sandbox._crm_store import CrmObject, CrmStore, Owner
from sales_agent.sandbox._errors import InvalidRequestError, NotFoundError
from sales_agent.sandbox._formats import utc_timestamp
from sales_agent.sandbox._hubspot_schema import ASSOCIATION_TYPES, OBJECT_TYPES

__all__ = [
    "object_type",
    "offset",
    "paging",
    "render_object",
    "render_owner",
    "split_names",
]

# v3 paths name a type by its plural, v4 paths often by its singular or its type id.
_TYPE_ALIASES = {
    alias: name
    for name, aliases in {
        "contacts": ("contact", "0-1"),
        "companies": ("company", "0-2"),
        "deals": ("deal", "0-3"),
        "notes": ("note", "0-46"),
        "tasks": ("task", "0-27"),
    }.items()
    for alias in (name, *aliases)
}


def object_type(name: str) -> str:
    """The canonical (plural) name of an object type, or HubSpot's 404."""
    canonical = _TYPE_ALIASES.get(name.lower())
    if canonical is None:
        raise NotFoundError(f"Unable to infer object type from: {name}")
    return canonical


def split_names(values: Sequence[str] | None) -> list[str]:
    """Names given repeated (`a=x&a=y`) or comma-separated (`a=x,y`), as HubSpot accepts."""
    return [name for value in values or [] for name in value.split(",") if name]


def offset(after: str | None) -> int:
    """Read an `after` paging token (an offset in the sandbox)."""
    if after is None or after == "":
        return 0
    if not after.isdigit():
        raise InvalidRequestError(f"Invalid after token: {after}")
    return int(after)


def paging(request: Request, next_after: str | None) -> dict[str, Any]:
    """The `paging` member pointing at the next page, or nothing on the last page."""
    if next_after is None:
        return {}
    link = str(request.url.include_query_params(after=next_after))
    return {"paging": {"next": {"after": next_after, "link": link}}}


def render_object(
    obj: CrmObject,
    crm: CrmStore,
    properties: Sequence[str] | None = None,
    associations: Sequence[str] = (),
) -> dict[str, Any]:
    """A SimplePublicObject: the requested properties (or all) plus system ones and links."""
    kind = OBJECT_TYPES[obj.object_type]
    if properties is None:
        selected = dict(obj.properties)
    else:
        names = [*(properties or kind.defaults), "hs_object_id", kind.created, kind.modified]
        selected = {name: obj.properties.get(name) for name in names}
    rendered: dict[str, Any] = {
        "id": obj.id,
        "properties": selected,
        "createdAt": utc_timestamp(obj.created_at, millis=True),
        "updatedAt": utc_timestamp(obj.updated_at, millis=True),
        "archived": obj.archived_at is not None,
    }
    if obj.archived_at is not None:
        rendered["archivedAt"] = utc_timestamp(obj.archived_at, millis=True)
    linked = {}
    for name in associations:
        to_type = object_type(name)
        results = [
            {"id": to_id, "type": ASSOCIATION_TYPES[type_id].name}
            for to_id, type_id in crm.associated(obj.object_type, obj.id, to_type)
        ]
        if results:
            linked[to_type] = {"results": results}
    if linked:
        rendered["associations"] = linked
    return rendered


def render_owner(owner: Owner) -> dict[str, Any]:
    """A PublicOwner, as the owners API returns it."""
    stamp = utc_timestamp(owner.created_at, millis=True)
    return {
        "id": owner.id,
        "email": owner.email,
        "type": "PERSON",
        "firstName": owner.first_name,
        "lastName": owner.last_name,
        "userId": owner.user_id,
        "userIdIncludingInactive": owner.user_id,
        "createdAt": stamp,
        "updatedAt": stamp,
        "archived": False,
        "teams": [],
    }
