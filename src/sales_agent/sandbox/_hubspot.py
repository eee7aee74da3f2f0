"""HubSpot CRM v3 object routes: search, create and read for contacts, companies and notes.

Routes are `async def` so they run one at a time on the event loop (no lock needed).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from sales_agent.sandbox._crm_store import OBJECT_TYPES, CrmObject, CrmStore, PropertyFilter
from sales_agent.sandbox._deps import WorkspaceDep
from sales_agent.sandbox._errors import NotFoundError
from sales_agent.sandbox._formats import utc_timestamp

__all__ = ["router"]

router = APIRouter(prefix="/crm/v3/objects/{object_type}")

NamesQuery = Annotated[list[str] | None, Query()]


class _Schema(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class _Filter(_Schema):
    property_name: str = Field(alias="propertyName")
    operator: str
    value: str | None = None


class _FilterGroup(_Schema):
    filters: list[_Filter]


class _SearchRequest(_Schema):
    filter_groups: list[_FilterGroup] = Field(default=[], alias="filterGroups")
    properties: list[str] = []
    limit: int = Field(default=10, ge=1, le=200)
    after: int = Field(default=0, ge=0)


class _AssociationSpec(_Schema):
    association_category: str = Field(default="HUBSPOT_DEFINED", alias="associationCategory")
    association_type_id: int = Field(alias="associationTypeId")


class _ObjectId(_Schema):
    id: str


class _AssociationInput(_Schema):
    to: _ObjectId
    types: list[_AssociationSpec]


class _CreateRequest(_Schema):
    properties: dict[str, str | None]
    associations: list[_AssociationInput] = []


def _known(object_type: str) -> str:
    if object_type not in OBJECT_TYPES:
        raise NotFoundError(f"Unable to infer object type from: {object_type}")
    return object_type


def _split(values: list[str] | None) -> list[str]:
    """Names given repeated (`a=x&a=y`) or comma-separated (`a=x,y`), as HubSpot accepts."""
    return [name for value in values or [] for name in value.split(",") if name]


def _render(
    obj: CrmObject,
    crm: CrmStore,
    properties: list[str] | None = None,
    associations: list[str] | None = None,
) -> dict[str, Any]:
    """Render a SimplePublicObject: the requested properties (or the defaults) plus ids."""
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
        "archived": False,
    }
    linked = {
        to_type: [
            {"id": i, "type": name} for i, name in crm.associated(obj.object_type, obj.id, to_type)
        ]
        for to_type in associations or []
    }
    if any(linked.values()):
        rendered["associations"] = {k: {"results": v} for k, v in linked.items() if v}
    return rendered


@router.post("/search")
async def search(workspace: WorkspaceDep, object_type: str, body: _SearchRequest) -> dict[str, Any]:
    """Search: filter groups ORed, filters ANDed; paged by `after` offset."""
    groups = [
        [PropertyFilter(f.property_name, f.operator, f.value) for f in group.filters]
        for group in body.filter_groups
    ]
    found = workspace.crm.search(_known(object_type), groups)
    page = found[body.after : body.after + body.limit]
    answer: dict[str, Any] = {
        "total": len(found),
        "results": [_render(o, workspace.crm, body.properties) for o in page],
    }
    if body.after + body.limit < len(found):
        answer["paging"] = {"next": {"after": str(body.after + body.limit)}}
    return answer


@router.post("", status_code=201)
async def create(workspace: WorkspaceDep, object_type: str, body: _CreateRequest) -> dict[str, Any]:
    """Create a record with its associations; answers with every property set."""
    links = [(a.to.id, spec.association_type_id) for a in body.associations for spec in a.types]
    record = workspace.crm.create(
        _known(object_type), dict(body.properties), links, now=datetime.now(UTC)
    )
    return _render(record, workspace.crm)


@router.get("/{object_id}")
async def read(
    workspace: WorkspaceDep,
    object_type: str,
    object_id: str,
    properties: NamesQuery = None,
    associations: NamesQuery = None,
) -> dict[str, Any]:
    """Read one record, with the requested properties and associated ids."""
    record = workspace.crm.get(_known(object_type), object_id)
    return _render(record, workspace.crm, _split(properties), _split(associations))
