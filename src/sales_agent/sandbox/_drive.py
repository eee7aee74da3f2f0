"""Drive v3 routes: files.list, files.get (metadata or `alt=media`) and files.export."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from sales_agent.sandbox._deps import WorkspaceDep
from sales_agent.sandbox._drive_fields import FieldMask, apply_mask, parse_mask
from sales_agent.sandbox._drive_query import order_items, parse_query
from sales_agent.sandbox._drive_render import download, export, render_file
from sales_agent.sandbox._errors import InvalidRequestError
from sales_agent.sandbox._formats import page_offset, page_token

__all__ = ["router"]

router = APIRouter(prefix="/drive/v3")

# What Drive returns when the caller names no `fields`.
_DEFAULT_FILE_MASK: FieldMask = {"kind": None, "id": None, "name": None, "mimeType": None}
_DEFAULT_LIST_MASK: FieldMask = {
    "kind": None,
    "incompleteSearch": None,
    "nextPageToken": None,
    "files": _DEFAULT_FILE_MASK,
}
_LIST_FIELDS = frozenset(_DEFAULT_LIST_MASK) | {"*"}

FieldsQuery = Annotated[str | None, Query()]


def _mask(fields: str | None, default: FieldMask, allowed: frozenset[str] | None) -> FieldMask:
    mask = parse_mask(fields) if fields else default
    unknown = set(mask) - allowed if allowed is not None else set()
    if unknown:
        raise InvalidRequestError(
            f"Invalid field selection {sorted(unknown)[0]}", reason="invalidParameter"
        )
    return mask


@router.get("/files")
async def list_files(
    workspace: WorkspaceDep,
    fields: FieldsQuery = None,
    q: str = "",
    page_size: Annotated[int, Query(alias="pageSize", ge=1, le=1000)] = 100,
    token: Annotated[str | None, Query(alias="pageToken")] = None,
    order_by: Annotated[str | None, Query(alias="orderBy")] = None,
) -> dict[str, Any]:
    """files.list: the items matching `q`, sorted and paged, trimmed to `fields`."""
    mask = _mask(fields, _DEFAULT_LIST_MASK, _LIST_FIELDS)
    me = workspace.operator.email
    predicate = parse_query(q, workspace.drive, me=me)
    found = order_items([item for item in workspace.drive.listable() if predicate(item)], order_by)
    offset = page_offset(token)
    page = found[offset : offset + page_size]
    body: dict[str, Any] = {
        "kind": "drive#fileList",
        "incompleteSearch": False,
        "files": [render_file(item, me=me) for item in page],
    }
    if offset + page_size < len(found):
        body["nextPageToken"] = page_token(offset + page_size)
    return dict(apply_mask(body, mask))


@router.get("/files/{file_id}", response_model=None)
async def get_file(
    workspace: WorkspaceDep,
    file_id: str,
    fields: FieldsQuery = None,
    alt: Literal["json", "media"] = "json",
) -> dict[str, Any] | Response:
    """files.get: the metadata, or with `alt=media` the file's bytes."""
    item = workspace.drive.get(file_id)
    if alt == "media":
        return Response(content=download(item), media_type=item.mime_type)
    rendered = render_file(item, me=workspace.operator.email)
    return dict(apply_mask(rendered, _mask(fields, _DEFAULT_FILE_MASK, None)))


@router.get("/files/{file_id}/export")
async def export_file(
    workspace: WorkspaceDep,
    file_id: str,
    mime_type: Annotated[str | None, Query(alias="mimeType")] = None,
) -> Response:
    """files.export: a Docs Editors file converted to `mimeType`."""
    if not mime_type:
        raise InvalidRequestError("Required parameter: mimeType", reason="required")
    item = workspace.drive.get(file_id)
    return Response(content=export(item, mime_type), media_type=mime_type)
