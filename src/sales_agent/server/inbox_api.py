"""Routes of the operator inbox API; thin: the work is in InboxService.

`contact_id` filters by the lead's email address (case-insensitive): the drafts table keys
leads by email, which every trigger source has, while a HubSpot contact id exists only for
leads already in the CRM. Each route declares what it returns (`server/inbox_schemas.py`),
so `/openapi.json` describes it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from sales_agent.db.drafts import DraftStatus
from sales_agent.server.errors import ApiError
from sales_agent.server.inbox_schemas import (
    DraftDetail,
    DraftList,
    DraftRejection,
    EditBody,
    RespondBody,
)
from sales_agent.server.inbox_service import InboxService

__all__ = ["EditBody", "RespondBody", "router"]

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such draft: `{code, message}`."},
}
_DECISION_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    409: {"description": "The draft is not pending approval: `{code, message}`."},
}

router = APIRouter(prefix="/api/drafts", tags=["inbox"])

MAX_PAGE_SIZE = 100


def _inbox(request: Request) -> InboxService:
    return InboxService(request.app.state.services, request.app.state.threads)


InboxDep = Annotated[InboxService, Depends(_inbox)]


@router.get("")
def list_drafts(
    inbox: InboxDep,
    status: DraftStatus | None = None,
    contact_id: Annotated[
        str | None, Query(max_length=320, description="The lead's email address.")
    ] = None,
    thread_id: Annotated[str | None, Query(max_length=256)] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> DraftList:
    """Drafts, newest first, filtered by status, lead (`contact_id`: email) and thread."""
    if contact_id is not None and "@" not in contact_id:
        raise ApiError(
            422,
            "invalid_contact_id",
            f"contact_id {contact_id!r} is not an email address: the inbox keys leads by email",
        )
    return inbox.list(
        status=status,
        contact_email=contact_id,
        thread_id=thread_id,
        page=page,
        page_size=page_size,
    )


@router.get("/{draft_id}", responses=_ERRORS)
def get_draft(draft_id: str, inbox: InboxDep) -> DraftDetail:
    """One draft with its thread summary, plan, slots, assets, gate result and audit trail."""
    return inbox.detail(draft_id)


@router.get(
    "/{draft_id}/rejection",
    responses={**_ERRORS, 409: {"description": "The draft was not turned down."}},
)
def get_rejection(draft_id: str, inbox: InboxDep) -> DraftRejection:
    """Why a rejected (gate) or ignored (operator) draft was turned down."""
    return inbox.rejection(draft_id)


@router.post("/{draft_id}/approve", responses=_DECISION_ERRORS)
def approve(draft_id: str, inbox: InboxDep) -> DraftDetail:
    """Approve the pending draft as it stands (it stays in Gmail unless sending is allowed)."""
    return inbox.decide(draft_id, {"type": "approve"})


@router.post("/{draft_id}/edit", responses=_DECISION_ERRORS)
def edit(draft_id: str, body: EditBody, inbox: InboxDep) -> DraftDetail:
    """Approve the pending draft with the operator's subject and/or body (Gmail updated)."""
    return inbox.decide(draft_id, {"type": "edit", **body.model_dump(exclude_none=True)})


@router.post("/{draft_id}/reject", responses=_DECISION_ERRORS)
def reject(draft_id: str, inbox: InboxDep) -> DraftDetail:
    """Turn the pending draft down: its Gmail draft is deleted (status `ignored`)."""
    return inbox.decide(draft_id, {"type": "reject"})


@router.post("/{draft_id}/respond", responses=_DECISION_ERRORS)
def respond(draft_id: str, body: RespondBody, inbox: InboxDep) -> DraftDetail:
    """Send feedback: the writer rewrites the draft, which waits for approval again."""
    return inbox.decide(draft_id, {"type": "respond", "message": body.message.strip()})
