"""Delivery-status notifications (RFC 3464): which of our messages bounced, and for whom.

A DSN is `multipart/report; report-type=delivery-status`: a `message/delivery-status` part
with one block per recipient (`Final-Recipient`, `Action`, `Status`) and the returned
message or its headers. Ours is recognised by the key token our drafts carry, in the
returned `X-Sales-Agent-Key` header or in the Message-ID derived from it; a report that
names no message of ours is not our bounce. Only `Action: failed` is a bounce (`delayed`
and `delivered` are not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, message_from_string, policy
from email.message import EmailMessage, Message

from sales_agent.connectors.gmail_reply import IDEMPOTENCY_HEADER

__all__ = ["DeliveryFailure", "delivery_failure"]

_TOKEN = re.compile(r"\bsa-[0-9a-f]{32}\b")


@dataclass(frozen=True)
class DeliveryFailure:
    """A report that our message (by its key token) could not be delivered to `recipients`."""

    key_token: str
    recipients: tuple[str, ...]
    status: str | None = None


def _returned_headers(report: EmailMessage) -> Message | None:
    for part in report.walk():
        kind = part.get_content_type()
        if kind in ("message/rfc822", "message/global"):
            inner = part.get_payload()
            first = inner[0] if isinstance(inner, list) and inner else None
            return first if isinstance(first, Message) else None
        if kind in ("text/rfc822-headers", "message/rfc822-headers"):
            payload = part.get_payload(decode=True)
            text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
            return message_from_string(text)
    return None


def _token(headers: Message | None, report: EmailMessage) -> str | None:
    candidates = (
        [str(headers.get(IDEMPOTENCY_HEADER, "")), str(headers.get("Message-ID", ""))]
        if headers
        else []
    )
    candidates.append(str(report.get("X-Original-Message-ID", "")))
    for value in candidates:
        if found := _TOKEN.search(value):
            return found.group(0)
    return None


def _failed(report: EmailMessage) -> tuple[list[str], str | None]:
    recipients: list[str] = []
    status: str | None = None
    for part in report.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            if not isinstance(block, Message):
                continue
            action = str(block.get("Action", "")).strip().lower()
            final = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            address = final.split(";", 1)[-1].strip().strip("<>").lower()
            if action == "failed" and "@" in address:
                recipients.append(address)
                status = status or str(block.get("Status", "")).strip() or None
    return recipients, status


def delivery_failure(raw: bytes) -> DeliveryFailure | None:
    """The bounce `raw` reports for one of our messages; None for anything else."""
    report = message_from_bytes(raw, policy=policy.default)
    assert isinstance(report, EmailMessage)
    if report.get_content_type() != "multipart/report":
        return None
    if str(report.get_param("report-type", "")).lower() != "delivery-status":
        return None
    token = _token(_returned_headers(report), report)
    recipients, status = _failed(report)
    if token is None or not recipients:
        return None
    return DeliveryFailure(key_token=token, recipients=tuple(recipients), status=status)
