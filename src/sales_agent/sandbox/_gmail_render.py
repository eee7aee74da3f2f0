"""Gmail v1 resources (Message, Thread, Draft) rendered from stored raw messages."""

from __future__ import annotations

import base64
from email.message import EmailMessage, MIMEPart
from typing import Any, Literal

from sales_agent.sandbox._formats import html_to_plain
from sales_agent.sandbox._gmail_store import HistoryRecord, MessageRef, StoredMessage

__all__ = [
    "MessageFormat",
    "ThreadFormat",
    "render_draft",
    "render_history",
    "render_message",
    "render_thread",
    "thread_summary",
]

ThreadFormat = Literal["full", "metadata", "minimal"]
MessageFormat = Literal["full", "metadata", "minimal", "raw"]

_SNIPPET_LENGTH = 200


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _headers(part: MIMEPart, only: list[str] | None = None) -> list[dict[str, str]]:
    wanted = {name.lower() for name in only} if only else None
    return [
        {"name": name, "value": str(value)}
        for name, value in part.items()
        if wanted is None or name.lower() in wanted
    ]


def _part(part: MIMEPart, part_id: str) -> dict[str, Any]:
    """Render a MessagePart: containers carry `parts`, leaves a base64url `body.data`."""
    rendered: dict[str, Any] = {
        "partId": part_id,
        "mimeType": part.get_content_type(),
        "filename": part.get_filename() or "",
        "headers": _headers(part),
    }
    if part.is_multipart():
        prefix = f"{part_id}." if part_id else ""
        children = part.iter_parts()
        rendered["body"] = {"size": 0}
        rendered["parts"] = [_part(child, f"{prefix}{i}") for i, child in enumerate(children)]
    else:
        data = part.get_payload(decode=True)
        payload = data if isinstance(data, bytes) else b""
        rendered["body"] = {"size": len(payload), "data": _b64url(payload)}
    return rendered


def _snippet(parsed: EmailMessage) -> str:
    body = parsed.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    text = body.get_content()
    if body.get_content_subtype() == "html":
        text = html_to_plain(text)
    return " ".join(text.split())[:_SNIPPET_LENGTH]


def render_message(
    message: StoredMessage, fmt: MessageFormat = "full", metadata_headers: list[str] | None = None
) -> dict[str, Any]:
    """Render a Gmail Message resource in the requested format."""
    parsed = message.parsed()
    rendered: dict[str, Any] = {
        "id": message.id,
        "threadId": message.thread_id,
        "labelIds": list(message.label_ids),
        "snippet": _snippet(parsed),
        "historyId": str(message.history_id),
        "internalDate": str(int(message.internal_date.timestamp() * 1000)),
        "sizeEstimate": len(message.raw),
    }
    if fmt == "full":
        rendered["payload"] = _part(parsed, "")
    elif fmt == "raw":
        rendered["raw"] = _b64url(message.raw)
    elif fmt == "metadata":
        rendered["payload"] = {
            "mimeType": parsed.get_content_type(),
            "headers": _headers(parsed, metadata_headers),
        }
    return rendered


def render_thread(
    messages: list[StoredMessage],
    fmt: ThreadFormat = "full",
    metadata_headers: list[str] | None = None,
) -> dict[str, Any]:
    """Render a Gmail Thread resource; its historyId is the newest of its messages."""
    return {
        "id": messages[0].thread_id,
        "historyId": str(max(m.history_id for m in messages)),
        "messages": [render_message(m, fmt, metadata_headers) for m in messages],
    }


def render_draft(
    draft_id: str, message: StoredMessage, fmt: MessageFormat | None
) -> dict[str, Any]:
    """Render a Gmail Draft; without `fmt` only the message ids, as drafts.create does."""
    if fmt is None:
        body = {"id": message.id, "threadId": message.thread_id, "labelIds": message.label_ids}
        return {"id": draft_id, "message": body}
    return {"id": draft_id, "message": render_message(message, fmt)}


def thread_summary(messages: list[StoredMessage]) -> dict[str, Any]:
    """A thread as threads.list lists it: id, the newest message's snippet, historyId."""
    return {
        "id": messages[0].thread_id,
        "snippet": _snippet(messages[-1].parsed()),
        "historyId": str(max(m.history_id for m in messages)),
    }


def _ref(message: MessageRef) -> dict[str, Any]:
    return {"id": message.id, "threadId": message.thread_id, "labelIds": list(message.label_ids)}


_HISTORY_FIELDS = {
    "messageAdded": "messagesAdded",
    "messageDeleted": "messagesDeleted",
    "labelAdded": "labelsAdded",
    "labelRemoved": "labelsRemoved",
}


def render_history(record: HistoryRecord) -> dict[str, Any]:
    """A History resource: the changed message, under the list named by the change's type."""
    change: dict[str, Any] = {"message": _ref(record.message)}
    if record.type in ("labelAdded", "labelRemoved"):
        change["labelIds"] = list(record.label_ids)
    return {
        "id": str(record.id),
        "messages": [{"id": record.message.id, "threadId": record.message.thread_id}],
        _HISTORY_FIELDS[record.type]: [change],
    }
