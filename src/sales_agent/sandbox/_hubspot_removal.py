"""HubSpot CRM v3 removals: delete (archive), merge two contacts, GDPR-delete a contact.

A deleted record is archived: gone from reads, lists and search, listed by the list
endpoint with `archived=true`. A merge archives the merged contact into the primary one
(whose last-modified date moves). A GDPR deletion removes a contact for good, archived
list included, so only HubSpot's `contact.privacyDeletion` webhook tells of it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from sales_agent.sandbox._deps import WorkspaceDep
from sales_agent.sandbox._errors import InvalidRequestError
from sales_agent.sandbox._hubspot_render import object_type, render_object

__all__ = ["router"]

router = APIRouter(prefix="/crm/v3/objects/{object_type_name}")


class _Schema(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class MergeRequest(_Schema):
    """POST /crm/v3/objects/{type}/merge."""

    primary_object_id: str = Field(alias="primaryObjectId")
    object_id_to_merge: str = Field(alias="objectIdToMerge")


class GdprDeleteRequest(_Schema):
    """POST /crm/v3/objects/contacts/gdpr-delete."""

    object_id: str = Field(alias="objectId")
    id_property: str | None = Field(default=None, alias="idProperty")


@router.delete("/{object_id}", status_code=204)
async def archive(workspace: WorkspaceDep, object_type_name: str, object_id: str) -> Response:
    """Delete a record: HubSpot moves it to the archived records (restorable there)."""
    workspace.crm.archive(object_type(object_type_name), object_id, now=datetime.now(UTC))
    return Response(status_code=204)


@router.post("/merge")
async def merge(
    workspace: WorkspaceDep, object_type_name: str, body: MergeRequest
) -> dict[str, Any]:
    """Merge `objectIdToMerge` into the primary record; answers with the primary."""
    kind = object_type(object_type_name)
    if body.primary_object_id == body.object_id_to_merge:
        raise InvalidRequestError("a record cannot be merged into itself")
    now = datetime.now(UTC)
    primary = workspace.crm.update(kind, body.primary_object_id, {}, now=now)
    workspace.crm.archive(kind, body.object_id_to_merge, now=now)
    return render_object(primary, workspace.crm)


@router.post("/gdpr-delete", status_code=204)
async def gdpr_delete(
    workspace: WorkspaceDep, object_type_name: str, body: GdprDeleteRequest
) -> Response:
    """Delete a contact for good, as the privacy law asks."""
    kind = object_type(object_type_name)
    if kind != "contacts":
        raise InvalidRequestError("GDPR deletion applies to contacts only")
    record_id = body.object_id
    if body.id_property not in (None, "hs_object_id"):
        record_id = workspace.crm.get(kind, body.object_id, id_property=body.id_property).id
    workspace.crm.purge(kind, record_id)
    return Response(status_code=204)
