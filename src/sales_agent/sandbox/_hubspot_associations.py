"""HubSpot CRM v4 association reads: the records of one type linked to a record."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from sales_agent.sandbox._deps import WorkspaceDep
from sales_agent.sandbox._hubspot_render import object_type, offset, paging

__all__ = ["router"]

router = APIRouter(prefix="/crm/v4/objects/{from_type}/{object_id}/associations")


@router.get("/{to_type}")
async def list_associations(
    workspace: WorkspaceDep,
    request: Request,
    from_type: str,
    object_id: str,
    to_type: str,
    limit: Annotated[int, Query(ge=1, le=500)] = 500,
    after: str | None = None,
) -> dict[str, Any]:
    """Linked ids with their association types, grouped by target as HubSpot does."""
    source, target = object_type(from_type), object_type(to_type)
    workspace.crm.get(source, object_id)  # an unknown record is a 404, not an empty list
    by_target: dict[str, list[int]] = {}
    for to_id, type_id in workspace.crm.associated(source, object_id, target):
        by_target.setdefault(to_id, []).append(type_id)
    rows = [
        {
            "toObjectId": int(to_id),
            "associationTypes": [
                {"category": "HUBSPOT_DEFINED", "typeId": type_id, "label": None}
                for type_id in type_ids
            ],
        }
        for to_id, type_ids in by_target.items()
    ]
    start = offset(after)
    end = start + limit
    return {
        "results": rows[start:end],
        **paging(request, str(end) if end < len(rows) else None),
    }
