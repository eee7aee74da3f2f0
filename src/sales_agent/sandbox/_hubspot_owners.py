"""HubSpot CRM v3 owners: the users records can be assigned to."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from sales_agent.sandbox._deps import WorkspaceDep
from sales_agent.sandbox._errors import NotFoundError
from sales_agent.sandbox._hubspot_render import offset, paging, render_owner

__all__ = ["router"]

router = APIRouter(prefix="/crm/v3/owners")


# The client library asks for `/crm/v3/owners/`; people type it without the slash.
@router.get("")
@router.get("/")
async def list_owners(
    workspace: WorkspaceDep,
    request: Request,
    email: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    after: str | None = None,
) -> dict[str, Any]:
    """Owners in id order, optionally only the one with `email`."""
    owners = sorted(workspace.crm.owners.values(), key=lambda o: int(o.id))
    if email is not None:
        owners = [o for o in owners if o.email.lower() == email.lower()]
    start = offset(after)
    end = start + limit
    return {
        "results": [render_owner(o) for o in owners[start:end]],
        **paging(request, str(end) if end < len(owners) else None),
    }


@router.get("/{owner_id}")
async def read_owner(
    workspace: WorkspaceDep,
    owner_id: str,
    id_property: Annotated[Literal["id", "userId"], Query(alias="idProperty")] = "id",
) -> dict[str, Any]:
    """One owner, by owner id or by user id."""
    for owner in workspace.crm.owners.values():
        if (owner.id if id_property == "id" else str(owner.user_id)) == owner_id:
            return render_owner(owner)
    raise NotFoundError(f"Owner not found: {owner_id}")
