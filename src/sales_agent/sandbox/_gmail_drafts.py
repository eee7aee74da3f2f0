"""Gmail v1 drafts: create / get / update / delete / list / send."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from sales_agent.sandbox._errors import InvalidRequestError
from sales_agent.sandbox._gmail_deps import (
    MailboxDep,
    MaxResultsQuery,
    PageTokenQuery,
    RawMessage,
    decode_raw,
    listing,
)
from sales_agent.sandbox._gmail_query import parse_query
from sales_agent.sandbox._gmail_render import MessageFormat, render_draft

__all__ = ["router"]

router = APIRouter()


class _DraftBody(BaseModel):
    id: str | None = None
    message: RawMessage | None = None


@router.post("/drafts")
async def create_draft(mailbox: MailboxDep, body: _DraftBody) -> dict[str, Any]:
    """users.drafts.create (JSON upload of a `raw` message)."""
    thread_id = body.message.thread_id if body.message else None
    draft_id = mailbox.create_draft(
        decode_raw(body.message), thread_id=thread_id, now=datetime.now(UTC)
    )
    return render_draft(draft_id, mailbox.draft(draft_id), None)


@router.post("/drafts/send")
async def send_draft(mailbox: MailboxDep, body: _DraftBody) -> dict[str, Any]:
    """users.drafts.send: a given message replaces the draft's first; the answer is the Message."""
    if not body.id:
        raise InvalidRequestError("Missing draft id")
    now = datetime.now(UTC)
    draft_id = body.id
    if body.message is not None and body.message.raw:
        mailbox.update_draft(
            draft_id, decode_raw(body.message), thread_id=body.message.thread_id, now=now
        )
    sent = mailbox.send_draft(draft_id, now=now)
    return {"id": sent.id, "threadId": sent.thread_id, "labelIds": list(sent.label_ids)}


@router.put("/drafts/{draft_id}")
async def update_draft(mailbox: MailboxDep, draft_id: str, body: _DraftBody) -> dict[str, Any]:
    """users.drafts.update: replace the draft's message."""
    thread_id = body.message.thread_id if body.message else None
    mailbox.update_draft(
        draft_id, decode_raw(body.message), thread_id=thread_id, now=datetime.now(UTC)
    )
    return render_draft(draft_id, mailbox.draft(draft_id), None)


@router.delete("/drafts/{draft_id}", status_code=204)
async def delete_draft(mailbox: MailboxDep, draft_id: str) -> Response:
    """users.drafts.delete: gone for good, with an empty answer."""
    mailbox.delete_draft(draft_id)
    return Response(status_code=204)


@router.get("/drafts/{draft_id}")
async def get_draft(
    mailbox: MailboxDep,
    draft_id: str,
    fmt: Annotated[MessageFormat, Query(alias="format")] = "full",
) -> dict[str, Any]:
    """users.drafts.get."""
    return render_draft(draft_id, mailbox.draft(draft_id), fmt)


@router.get("/drafts")
async def list_drafts(
    mailbox: MailboxDep,
    q: str | None = None,
    page_token: PageTokenQuery = None,
    max_results: MaxResultsQuery = 100,
) -> dict[str, Any]:
    """users.drafts.list, newest first; `q` in Gmail's search language, as the real one."""
    query = parse_query(q, datetime.now(UTC))
    stored = {d: mailbox.draft(d) for d in mailbox.drafts}
    found = [d for d, m in stored.items() if query.matches(m.fields, m.label_ids, m.internal_date)]
    drafts = sorted(found, key=lambda d: (stored[d].internal_date, d), reverse=True)
    return listing(
        "drafts",
        drafts,
        lambda d: render_draft(d, mailbox.draft(d), None),
        page_token,
        max_results,
        resultSizeEstimate=len(drafts),
    )
