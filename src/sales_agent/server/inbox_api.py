"""Routes of the operator inbox API; thin: the work is in InboxService.

`contact_id` filters by the lead's email address (case-insensitive): the drafts table keys
leads by email, which every trigger source has, while a HubSpot contact id exists only for
leads already in the CRM.
"""

from __future__ import annotations

from typing import Annotated, Any, Self

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sales_agent.db.drafts import DraftStatus
from sales_agent.server.errors import ApiError
from sales_agent.server.inbox_service import InboxService

__all__ = ["EditBody", "RespondBody", "router"]

router = APIRouter(prefix="/api/drafts", tags=["inbox"])

MAX_PAGE_SIZE = 100
MAX_SUBJECT = 998  # RFC 5322's line limit
MAX_BODY = 100_000
MAX_MESSAGE = 5_000


def _inbox(request: Request) -> InboxService:
    return InboxService(request.app.state.services, request.app.state.threads)


InboxDep = Annotated[InboxService, Depends(_inbox)]


class EditBody(BaseModel):
    """POST /api/drafts/{id}/edit: the operator's text; approves the draft as edited."""

    model_config = ConfigDict(extra="forbid")

    subject: str | None = Field(default=None, max_length=MAX_SUBJECT)
    body: str | None = Field(default=None, max_length=MAX_BODY)

    @model_validator(mode="after")
    def _some_text(self) -> Self:
        if not ((self.subject or "").strip() or (self.body or "").strip()):
            raise ValueError("an edit needs a new subject or body")
        return self


class RespondBody(BaseModel):
    """POST /api/drafts/{id}/respond: feedback the writer rewrites the draft with."""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(min_length=1, max_length=MAX_MESSAGE)

    @model_validator(mode="after")
    def _not_blank(self) -> Self:
        if not self.message.strip():
            raise ValueError("a respond needs the operator's feedback as text")
        return self


@router.get("")
async def list_drafts(
    inbox: InboxDep,
    status: DraftStatus | None = None,
    contact_id: Annotated[
        str | None, Query(max_length=320, description="The lead's email address.")
    ] = None,
    thread_id: Annotated[str | None, Query(max_length=256)] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> dict[str, Any]:
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


@router.get("/{draft_id}")
async def get_draft(draft_id: str, inbox: InboxDep) -> dict[str, Any]:
    """One draft with its thread summary, plan, slots, assets, gate result and audit trail."""
    return inbox.detail(draft_id)


@router.get("/{draft_id}/rejection")
async def get_rejection(draft_id: str, inbox: InboxDep) -> dict[str, Any]:
    """Why a rejected (gate) or ignored (operator) draft was turned down."""
    return inbox.rejection(draft_id)


@router.post("/{draft_id}/approve")
async def approve(draft_id: str, inbox: InboxDep) -> dict[str, Any]:
    """Approve the pending draft as it stands (it stays in Gmail unless sending is allowed)."""
    return await inbox.decide(draft_id, {"type": "approve"})


@router.post("/{draft_id}/edit")
async def edit(draft_id: str, body: EditBody, inbox: InboxDep) -> dict[str, Any]:
    """Approve the pending draft with the operator's subject and/or body (Gmail updated)."""
    return await inbox.decide(draft_id, {"type": "edit", **body.model_dump(exclude_none=True)})


@router.post("/{draft_id}/reject")
async def reject(draft_id: str, inbox: InboxDep) -> dict[str, Any]:
    """Turn the pending draft down: its Gmail draft is deleted (status `ignored`)."""
    return await inbox.decide(draft_id, {"type": "reject"})


@router.post("/{draft_id}/respond")
async def respond(draft_id: str, body: RespondBody, inbox: InboxDep) -> dict[str, Any]:
    """Send feedback: the writer rewrites the draft, which waits for approval again."""
    return await inbox.decide(draft_id, {"type": "respond", "message": body.message.strip()})
