"""Gmail v1 routes: threads.list / get, messages.list / get / send; drafts and sync included.

Routes are `async def` on purpose: they run one at a time on the event loop, so the
in-memory workspace needs no lock.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from sales_agent.sandbox import _gmail_drafts, _gmail_sync
from sales_agent.sandbox._gmail_deps import (
    MailboxDep,
    MaxResultsQuery,
    PageTokenQuery,
    RawMessage,
    decode_raw,
    header_date,
    listing,
)
from sales_agent.sandbox._gmail_query import parse_query
from sales_agent.sandbox._gmail_render import (
    MessageFormat,
    ThreadFormat,
    render_message,
    render_thread,
    thread_summary,
)

__all__ = ["router"]

router = APIRouter(prefix="/gmail/v1/users/{user_id}")

MetadataHeadersQuery = Annotated[list[str] | None, Query(alias="metadataHeaders")]
LabelIdsQuery = Annotated[list[str] | None, Query(alias="labelIds")]
SpamTrashQuery = Annotated[bool, Query(alias="includeSpamTrash")]


@router.get("/threads")
async def list_threads(
    mailbox: MailboxDep,
    q: str | None = None,
    label_ids: LabelIdsQuery = None,
    include_spam_trash: SpamTrashQuery = False,
    page_token: PageTokenQuery = None,
    max_results: MaxResultsQuery = 100,
) -> dict[str, Any]:
    """users.threads.list: threads with a matching message, most recently active first."""
    threads = mailbox.search_threads(
        parse_query(q, datetime.now(UTC)),
        label_ids=label_ids or [],
        include_spam_trash=include_spam_trash,
    )
    return listing(
        "threads",
        threads,
        thread_summary,
        page_token,
        max_results,
        resultSizeEstimate=len(threads),
    )


@router.get("/threads/{thread_id}")
async def get_thread(
    mailbox: MailboxDep,
    thread_id: str,
    fmt: Annotated[ThreadFormat, Query(alias="format")] = "full",
    metadata_headers: MetadataHeadersQuery = None,
) -> dict[str, Any]:
    """users.threads.get."""
    return render_thread(mailbox.thread(thread_id), fmt, metadata_headers)


@router.get("/messages")
async def list_messages(
    mailbox: MailboxDep,
    q: str | None = None,
    label_ids: LabelIdsQuery = None,
    include_spam_trash: SpamTrashQuery = False,
    page_token: PageTokenQuery = None,
    max_results: MaxResultsQuery = 100,
) -> dict[str, Any]:
    """users.messages.list: matching messages, newest first, as ids only."""
    messages = mailbox.search(
        parse_query(q, datetime.now(UTC)),
        label_ids=label_ids or [],
        include_spam_trash=include_spam_trash,
    )
    return listing(
        "messages",
        messages,
        lambda m: {"id": m.id, "threadId": m.thread_id},
        page_token,
        max_results,
        resultSizeEstimate=len(messages),
    )


@router.get("/messages/{message_id}")
async def get_message(
    mailbox: MailboxDep,
    message_id: str,
    fmt: Annotated[MessageFormat, Query(alias="format")] = "full",
    metadata_headers: MetadataHeadersQuery = None,
) -> dict[str, Any]:
    """users.messages.get."""
    return render_message(mailbox.message(message_id), fmt, metadata_headers)


@router.post("/messages/send")
async def send_message(mailbox: MailboxDep, body: RawMessage) -> dict[str, Any]:
    """users.messages.send: a SENT message, in the given thread when Gmail would thread it."""
    sent = mailbox.send(decode_raw(body), thread_id=body.thread_id, now=datetime.now(UTC))
    return {"id": sent.id, "threadId": sent.thread_id, "labelIds": list(sent.label_ids)}


@router.post("/messages")
async def insert_message(
    mailbox: MailboxDep,
    body: RawMessage,
    internal_date_source: Annotated[
        Literal["receivedTime", "dateHeader"], Query(alias="internalDateSource")
    ] = "receivedTime",
) -> dict[str, Any]:
    """users.messages.insert: a message delivered as is (INBOX unless labels say otherwise).

    As in Gmail, `internalDateSource=dateHeader` dates it by its Date header (when it has a
    valid one) instead of the time it was inserted.
    """
    labels = body.label_ids or ["INBOX", "UNREAD"]
    raw = decode_raw(body)
    received = datetime.now(UTC)
    if internal_date_source == "dateHeader":
        received = header_date(raw) or received
    inserted = mailbox.insert(raw, thread_id=body.thread_id, label_ids=labels, now=received)
    return {"id": inserted.id, "threadId": inserted.thread_id, "labelIds": list(inserted.label_ids)}


router.include_router(_gmail_drafts.router)
router.include_router(_gmail_sync.router)
