"""HubSpot CRM v3 object routes: list, read, create, update, search and batch read.

Routes are `async def` so they run one at a time on the event loop (no lock needed).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from sales_agent.sandbox._deps import WorkspaceDep
from sales_agent.sandbox._errors import InvalidRequestError, NotFoundError
from sales_agent.sandbox._formats import utc_timestamp
from sales_agent.sandbox._hubspot_render import (
    object_type,
    offset,
    paging,
    render_object,
    split_names,
)
from sales_agent.sandbox._hubspot_requests import (
    BatchReadRequest,
    CreateRequest,
    SearchRequest,
    UpdateRequest,
)
from sales_agent.sandbox._hubspot_schema import OBJECT_TYPES

__all__ = ["SEARCH_RESULTS_LIMIT", "router"]

router = APIRouter(prefix="/crm/v3/objects/{object_type_name}")

SEARCH_RESULTS_LIMIT = 10_000
"""HubSpot's search pages no further than this many results; a later page is a 400."""

NamesQuery = Annotated[list[str] | None, Query()]
IdPropertyQuery = Annotated[str | None, Query(alias="idProperty")]


@router.get("")
async def list_page(
    workspace: WorkspaceDep,
    request: Request,
    object_type_name: str,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    after: str | None = None,
    properties: NamesQuery = None,
    associations: NamesQuery = None,
    archived: bool = False,
) -> dict[str, Any]:
    """A page of records in id order; `after` is the id the next page starts at.

    With `archived` the page lists deleted (archived) records instead, as HubSpot does.
    """
    kind = object_type(object_type_name)
    # One more than the page: the extra record's id is where the next page starts.
    page = workspace.crm.records_from(kind, offset(after), limit + 1, archived=archived)
    page, rest = page[:limit], page[limit:]
    wanted, links = split_names(properties), split_names(associations)
    return {
        "results": [render_object(o, workspace.crm, wanted, links) for o in page],
        **paging(request, rest[0].id if rest else None),
    }


@router.get("/{object_id}")
async def read(
    workspace: WorkspaceDep,
    object_type_name: str,
    object_id: str,
    properties: NamesQuery = None,
    associations: NamesQuery = None,
    id_property: IdPropertyQuery = None,
) -> dict[str, Any]:
    """Read one record, with the requested properties and associated ids."""
    kind = object_type(object_type_name)
    record = workspace.crm.get(kind, object_id, id_property=id_property)
    return render_object(record, workspace.crm, split_names(properties), split_names(associations))


@router.post("", status_code=201)
async def create(
    workspace: WorkspaceDep, object_type_name: str, body: CreateRequest
) -> dict[str, Any]:
    """Create a record with its associations; answers with every property set."""
    record = workspace.crm.create(
        object_type(object_type_name), body.properties, body.links(), now=datetime.now(UTC)
    )
    return render_object(record, workspace.crm)


@router.patch("/{object_id}")
async def update(
    workspace: WorkspaceDep,
    object_type_name: str,
    object_id: str,
    body: UpdateRequest,
    id_property: IdPropertyQuery = None,
) -> dict[str, Any]:
    """Change some properties; answers with every property of the record."""
    record = workspace.crm.update(
        object_type(object_type_name),
        object_id,
        body.properties,
        now=datetime.now(UTC),
        id_property=id_property,
    )
    return render_object(record, workspace.crm)


@router.post("/search")
async def search(
    workspace: WorkspaceDep, object_type_name: str, body: SearchRequest
) -> dict[str, Any]:
    """Search: filter groups ORed, filters ANDed, then sorted; paged by an offset `after`."""
    kind = object_type(object_type_name)
    start = offset(body.after)
    if start >= SEARCH_RESULTS_LIMIT:
        raise InvalidRequestError(
            f"Search results are limited to {SEARCH_RESULTS_LIMIT} total results; "
            "page through the list endpoint, or narrow the search with a filter"
        )
    found = workspace.crm.search(kind, body.groups(), body.sort_order())
    if body.query:
        # Free text matches any default searchable property, word by word.
        words = body.query.lower().split()
        defaults = OBJECT_TYPES[kind].defaults
        found = [
            o
            for o in found
            if all(any(w in (o.properties.get(p) or "").lower() for p in defaults) for w in words)
        ]
    answer: dict[str, Any] = {
        "total": len(found),
        "results": [
            render_object(o, workspace.crm, body.properties)
            for o in found[start : min(start + body.limit, SEARCH_RESULTS_LIMIT)]
        ],
    }
    if start + body.limit < min(len(found), SEARCH_RESULTS_LIMIT):
        # Search pages carry no link: the next page is another POST with this `after`.
        answer["paging"] = {"next": {"after": str(start + body.limit)}}
    return answer


@router.post("/batch/read", response_model=None)
async def batch_read(
    workspace: WorkspaceDep, object_type_name: str, body: BatchReadRequest
) -> dict[str, Any] | JSONResponse:
    """Read many records; unknown ids make a 207 listing them, as HubSpot answers."""
    kind = object_type(object_type_name)
    started = utc_timestamp(datetime.now(UTC), millis=True)
    results, missing = [], []
    for item in body.inputs:
        try:
            record = workspace.crm.get(kind, item.id, id_property=body.id_property)
        except NotFoundError:
            missing.append(item.id)
            continue
        results.append(render_object(record, workspace.crm, body.properties))
    answer: dict[str, Any] = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": started,
        "completedAt": utc_timestamp(datetime.now(UTC), millis=True),
    }
    if not missing:
        return answer
    answer["numErrors"] = 1
    answer["errors"] = [
        {
            "status": "error",
            "category": "OBJECT_NOT_FOUND",
            "message": f"Could not get some {kind} objects, they may be deleted or not exist.",
            "context": {"ids": missing},
        }
    ]
    return JSONResponse(answer, status_code=207)
