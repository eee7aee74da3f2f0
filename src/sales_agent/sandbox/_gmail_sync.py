"""Gmail v1 sync surface: history.list, watch / stop, labels.list, getProfile."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from sales_agent.sandbox._errors import InvalidRequestError, NotFoundError
from sales_agent.sandbox._gmail_deps import MailboxDep, MaxResultsQuery, PageTokenQuery, listing
from sales_agent.sandbox._gmail_render import render_history
from sales_agent.sandbox._gmail_store import HistoryType

__all__ = ["router"]

router = APIRouter()

_TOPIC = re.compile(r"^projects/[^/]+/topics/[^/]+$")
_WATCH_LIFETIME = timedelta(days=7)  # Gmail asks for watch to be renewed at least weekly
_SYSTEM_LABELS = (
    "INBOX",
    "SENT",
    "DRAFT",
    "SPAM",
    "TRASH",
    "UNREAD",
    "STARRED",
    "IMPORTANT",
    "CHAT",
    "CATEGORY_PERSONAL",
    "CATEGORY_SOCIAL",
    "CATEGORY_PROMOTIONS",
    "CATEGORY_UPDATES",
    "CATEGORY_FORUMS",
)


class _WatchBody(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    topic_name: str = Field(alias="topicName")
    label_ids: list[str] = Field(default_factory=list, alias="labelIds")
    label_filter_behavior: str | None = Field(default=None, alias="labelFilterBehavior")


@router.get("/history")
async def list_history(
    mailbox: MailboxDep,
    start_history_id: Annotated[int, Query(alias="startHistoryId", ge=0)],
    history_types: Annotated[list[HistoryType] | None, Query(alias="historyTypes")] = None,
    label_id: Annotated[str | None, Query(alias="labelId")] = None,
    page_token: PageTokenQuery = None,
    max_results: MaxResultsQuery = 100,
) -> dict[str, Any]:
    """users.history.list: changes after `startHistoryId`; 404 once it is too old, as Gmail."""
    if start_history_id < mailbox.history_floor:
        raise NotFoundError("Requested entity was not found.")
    records = [
        r
        for r in mailbox.history
        if r.id > start_history_id
        and (not history_types or r.type in history_types)
        and (label_id is None or label_id in r.message.label_ids)
    ]
    return listing(
        "history",
        records,
        render_history,
        page_token,
        max_results,
        historyId=str(mailbox.history_id),
    )


@router.post("/watch")
async def watch(mailbox: MailboxDep, body: _WatchBody) -> dict[str, str]:
    """users.watch: push notifications to a Pub/Sub topic (recorded, never delivered)."""
    if not _TOPIC.match(body.topic_name):
        raise InvalidRequestError(
            f"Invalid topicName {body.topic_name!r}: expected projects/<project>/topics/<topic>"
        )
    mailbox.watch_topic = body.topic_name
    expiration = datetime.now(UTC) + _WATCH_LIFETIME
    return {
        "historyId": str(mailbox.history_id),
        "expiration": str(int(expiration.timestamp() * 1000)),
    }


@router.post("/stop", status_code=204)
async def stop(mailbox: MailboxDep) -> Response:
    """users.stop: no more push notifications."""
    mailbox.watch_topic = None
    return Response(status_code=204)


@router.get("/labels")
async def list_labels(mailbox: MailboxDep) -> dict[str, Any]:
    """users.labels.list: the system labels, then any other label a message carries."""
    used = {label for m in mailbox.messages.values() for label in m.label_ids}
    others = sorted(used - set(_SYSTEM_LABELS))
    return {
        "labels": [{"id": i, "name": i, "type": "system"} for i in _SYSTEM_LABELS]
        + [
            {
                "id": i,
                "name": i,
                "type": "user",
                "messageListVisibility": "show",
                "labelListVisibility": "labelShow",
            }
            for i in others
        ]
    }


@router.get("/profile")
async def get_profile(mailbox: MailboxDep) -> dict[str, Any]:
    """users.getProfile."""
    return {
        "emailAddress": mailbox.address,
        "messagesTotal": len(mailbox.messages),
        "threadsTotal": len(mailbox.threads()),
        "historyId": str(mailbox.history_id),
    }
