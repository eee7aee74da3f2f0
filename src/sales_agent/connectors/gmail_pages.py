"""Gmail list and sync responses to typed models: thread and message pages, history, labels."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sales_agent.connectors.gmail_models import (
    GmailHistoryPage,
    GmailHistoryRecord,
    GmailLabel,
    GmailMessagePage,
    GmailMessageRef,
    GmailProfile,
    GmailThreadPage,
    GmailThreadSummary,
    GmailWatch,
    HistoryType,
)

__all__ = [
    "parse_history_page",
    "parse_labels",
    "parse_message_page",
    "parse_profile",
    "parse_thread_page",
    "parse_watch",
]

# History resource field -> the change type each of its entries records.
_HISTORY_FIELDS: dict[str, HistoryType] = {
    "messagesAdded": "messageAdded",
    "messagesDeleted": "messageDeleted",
    "labelsAdded": "labelAdded",
    "labelsRemoved": "labelRemoved",
}


def _ref(message: dict[str, Any]) -> GmailMessageRef:
    return GmailMessageRef(
        id=message["id"], thread_id=message["threadId"], label_ids=message.get("labelIds", [])
    )


def parse_thread_page(resource: dict[str, Any]) -> GmailThreadPage:
    """A threads.list response; Gmail omits `threads` when there are none."""
    return GmailThreadPage(
        threads=[
            GmailThreadSummary(
                id=t["id"], snippet=t.get("snippet", ""), history_id=int(t["historyId"])
            )
            for t in resource.get("threads", [])
        ],
        next_page_token=resource.get("nextPageToken"),
        result_size_estimate=int(resource.get("resultSizeEstimate", 0)),
    )


def parse_message_page(resource: dict[str, Any]) -> GmailMessagePage:
    """A messages.list response."""
    return GmailMessagePage(
        messages=[_ref(m) for m in resource.get("messages", [])],
        next_page_token=resource.get("nextPageToken"),
        result_size_estimate=int(resource.get("resultSizeEstimate", 0)),
    )


def parse_history_page(resource: dict[str, Any]) -> GmailHistoryPage:
    """A history.list response, one record per change (a History may group several)."""
    records = [
        GmailHistoryRecord(
            id=int(history["id"]),
            type=change_type,
            message=_ref(change["message"]),
            label_ids=change.get("labelIds", []),
        )
        for history in resource.get("history", [])
        for field, change_type in _HISTORY_FIELDS.items()
        for change in history.get(field, [])
    ]
    return GmailHistoryPage(
        records=records,
        history_id=int(resource["historyId"]),
        next_page_token=resource.get("nextPageToken"),
    )


def parse_watch(resource: dict[str, Any]) -> GmailWatch:
    """A watch response: `expiration` is epoch milliseconds."""
    expiration = datetime.fromtimestamp(int(resource["expiration"]) / 1000, tz=UTC)
    return GmailWatch(history_id=int(resource["historyId"]), expiration=expiration)


def parse_labels(resource: dict[str, Any]) -> list[GmailLabel]:
    """A labels.list response."""
    return [
        GmailLabel(id=label["id"], name=label.get("name", label["id"]), type=label["type"])
        for label in resource.get("labels", [])
    ]


def parse_profile(resource: dict[str, Any]) -> GmailProfile:
    """A getProfile response."""
    return GmailProfile(
        email_address=resource["emailAddress"],
        messages_total=int(resource.get("messagesTotal", 0)),
        threads_total=int(resource.get("threadsTotal", 0)),
        history_id=int(resource["historyId"]),
    )
