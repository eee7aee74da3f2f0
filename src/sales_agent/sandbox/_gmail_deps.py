"""What the Gmail routes share: the addressed mailbox, paging, uploaded raw messages."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from datetime import datetime
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from sales_agent.sandbox._deps import WorkspaceDep
from sales_agent.sandbox._errors import InvalidRequestError, PermissionDeniedError
from sales_agent.sandbox._formats import page_offset
from sales_agent.sandbox._formats import page_token as page_token_for
from sales_agent.sandbox._gmail_store import GmailStore

__all__ = [
    "MailboxDep",
    "MaxResultsQuery",
    "PageTokenQuery",
    "RawMessage",
    "decode_raw",
    "get_mailbox",
    "header_date",
    "listing",
]

T = TypeVar("T")

_MAX_PAGE = 500  # Gmail caps maxResults at 500 for every list method

MaxResultsQuery = Annotated[int, Query(alias="maxResults", ge=1)]
PageTokenQuery = Annotated[str | None, Query(alias="pageToken")]


class RawMessage(BaseModel):
    """A Message as clients upload it: base64url RFC 822 and, for a reply, its thread."""

    model_config = ConfigDict(populate_by_name=True)

    raw: str | None = None
    thread_id: str | None = Field(default=None, alias="threadId")
    label_ids: list[str] | None = Field(default=None, alias="labelIds")


def get_mailbox(workspace: WorkspaceDep, user_id: str) -> GmailStore:
    """The mailbox `userId` names: `me` (or the address) is the operator's."""
    if user_id == "me" or user_id.lower() == workspace.operator.email.lower():
        return workspace.gmail
    other = workspace.gmail_mailboxes.get(user_id.lower())
    if other is None:
        raise PermissionDeniedError(f"Delegation denied for {workspace.operator.email}")
    return other


MailboxDep = Annotated[GmailStore, Depends(get_mailbox)]


def decode_raw(message: RawMessage | None) -> bytes:
    """Decode `message.raw` (base64url, padding optional) to RFC 822 bytes."""
    data = message.raw if message is not None else None
    if not data:
        raise InvalidRequestError(
            "'raw' RFC822 payload message string or uploading message via /upload/* URL required"
        )
    try:
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidRequestError("Invalid value for ByteString: raw") from exc


def header_date(raw: bytes) -> datetime | None:
    """The Date header of an RFC 822 message as an aware datetime; None when absent or invalid."""
    value = message_from_bytes(raw, policy=policy.default)["Date"]
    try:
        parsed = parsedate_to_datetime(str(value)) if value else None
    except (TypeError, ValueError):
        return None
    return parsed if parsed is not None and parsed.tzinfo is not None else None


def listing(
    key: str,
    items: Sequence[T],
    render: Callable[[T], dict[str, Any]],
    page_token: str | None,
    max_results: int,
    **extra: Any,
) -> dict[str, Any]:
    """One page of a list response; Gmail omits an empty list and a last page's token."""
    start = page_offset(page_token)
    end = start + min(max_results, _MAX_PAGE)
    body: dict[str, Any] = {}
    if items[start:end]:
        body[key] = [render(item) for item in items[start:end]]
    if end < len(items):
        body["nextPageToken"] = page_token_for(end)
    return {**body, **extra}
