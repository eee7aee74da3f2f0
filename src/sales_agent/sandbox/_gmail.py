"""Gmail v1 routes: threads.get and drafts.create/update/delete/get/list.

Routes are `async def` on purpose: they run one at a time on the event loop, so the
in-memory workspace needs no lock.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from sales_agent.sandbox._deps import WorkspaceDep
from sales_agent.sandbox._errors import InvalidRequestError, PermissionDeniedError
from sales_agent.sandbox._gmail_render import (
    MessageFormat,
    render_draft,
    render_thread,
)
from sales_agent.sandbox.workspace import Workspace

__all__ = ["router"]

router = APIRouter(prefix="/gmail/v1/users/{user_id}")

FormatQuery = Annotated[MessageFormat, Query(alias="format")]
MetadataHeadersQuery = Annotated[list[str] | None, Query(alias="metadataHeaders")]


class _DraftMessage(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    raw: str | None = None
    thread_id: str | None = Field(default=None, alias="threadId")


class _DraftBody(BaseModel):
    message: _DraftMessage


def _check_user(workspace: Workspace, user_id: str) -> None:
    if user_id not in ("me", workspace.operator.email):
        raise PermissionDeniedError(f"Delegation denied for {workspace.operator.email}")


def _raw(body: _DraftBody) -> bytes:
    """Decode the draft's `message.raw` (base64url, padding optional) to RFC 822 bytes."""
    data = body.message.raw
    if not data:
        raise InvalidRequestError("Missing draft message")
    try:
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidRequestError("Invalid value for ByteString: message.raw") from exc


@router.get("/threads/{thread_id}")
async def get_thread(
    workspace: WorkspaceDep,
    user_id: str,
    thread_id: str,
    fmt: FormatQuery = "full",
    metadata_headers: MetadataHeadersQuery = None,
) -> dict[str, Any]:
    """users.threads.get."""
    _check_user(workspace, user_id)
    return render_thread(workspace.gmail.thread(thread_id), fmt, metadata_headers)


@router.post("/drafts")
async def create_draft(workspace: WorkspaceDep, user_id: str, body: _DraftBody) -> dict[str, Any]:
    """users.drafts.create (JSON upload of a `raw` message)."""
    _check_user(workspace, user_id)
    draft_id = workspace.gmail.create_draft(
        _raw(body), thread_id=body.message.thread_id, now=datetime.now(UTC)
    )
    return render_draft(draft_id, workspace.gmail.draft(draft_id), None)


@router.put("/drafts/{draft_id}")
async def update_draft(
    workspace: WorkspaceDep, user_id: str, draft_id: str, body: _DraftBody
) -> dict[str, Any]:
    """users.drafts.update: replace the draft's message."""
    _check_user(workspace, user_id)
    workspace.gmail.update_draft(
        draft_id, _raw(body), thread_id=body.message.thread_id, now=datetime.now(UTC)
    )
    return render_draft(draft_id, workspace.gmail.draft(draft_id), None)


@router.delete("/drafts/{draft_id}", status_code=204)
async def delete_draft(workspace: WorkspaceDep, user_id: str, draft_id: str) -> Response:
    """users.drafts.delete: gone for good, with an empty answer."""
    _check_user(workspace, user_id)
    workspace.gmail.delete_draft(draft_id)
    return Response(status_code=204)


@router.get("/drafts/{draft_id}")
async def get_draft(
    workspace: WorkspaceDep, user_id: str, draft_id: str, fmt: FormatQuery = "full"
) -> dict[str, Any]:
    """users.drafts.get."""
    _check_user(workspace, user_id)
    return render_draft(draft_id, workspace.gmail.draft(draft_id), fmt)


@router.get("/drafts")
async def list_drafts(workspace: WorkspaceDep, user_id: str) -> dict[str, Any]:
    """users.drafts.list (one page: the sandbox holds few drafts)."""
    _check_user(workspace, user_id)
    drafts = [
        render_draft(draft_id, workspace.gmail.draft(draft_id), None)
        for draft_id in workspace.gmail.drafts
    ]
    # Like Gmail, an empty list omits the `drafts` key altogether.
    return (
        {"drafts": drafts, "resultSizeEstimate": len(drafts)}
        if drafts
        else {"resultSizeEstimate": 0}
    )
