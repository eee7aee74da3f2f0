"""Deliver a dataset's inbound message into the sandbox mailbox, as Gmail's messages.insert.

The message is an RFC 822 email from the line's sender to the operator (copying in its `cc`),
dated by the case's clock, starting a new thread (quoted history, if any, sits under the new
text as a mail client would put it). It is inserted, never sent: evals only ever touch the
sandbox mailbox.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sales_agent.connectors.gmail import GmailClient
from sales_agent.evals.dataset import Inbound

__all__ = ["deliver_inbound", "inbound_mime"]

_TAG = re.compile(r"<[a-zA-Z/][^>]*>")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "case"


def _as_html(text: str) -> str:
    """Text as HTML paragraphs; text that already holds markup is kept as it is."""
    if _TAG.search(text):
        return text
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    )


def inbound_mime(inbound: Inbound, *, case: str, operator: str, now: datetime) -> EmailMessage:
    """The message as the lead's mail client would have sent it to the operator."""
    _, address = parseaddr(inbound.sender)
    domain = address.rpartition("@")[2] or "example.invalid"
    mime = EmailMessage()
    mime["From"] = inbound.sender
    mime["To"] = operator
    if inbound.cc:
        mime["Cc"] = ", ".join(inbound.cc)
    mime["Subject"] = inbound.subject
    mime["Date"] = format_datetime(now)
    mime["Message-ID"] = f"<eval-{_slug(case)}@{domain}>"
    history = inbound.quoted_history
    intro = f"On {format_datetime(now)}, {operator} wrote:"
    if inbound.html:
        quoted = (
            f"<div>{intro}<blockquote>{_as_html(history)}</blockquote></div>" if history else ""
        )
        mime.set_content(_as_html(inbound.body) + quoted, subtype="html")
    else:
        quoted = ""
        if history:
            lines = "\n".join(f"> {line}" if line else ">" for line in history.splitlines())
            quoted = f"\n\n{intro}\n{lines}\n"
        mime.set_content(inbound.body + quoted)
    return mime


def deliver_inbound(
    gmail: GmailClient, inbound: Inbound, *, case: str, operator: str, now: datetime
) -> str:
    """Insert the message into the mailbox (dated by its own Date header); its new thread id."""
    mime = inbound_mime(inbound, case=case, operator=operator, now=now)
    _, thread_id = gmail.insert_message(mime.as_bytes(), date_from_header=True)
    return thread_id
