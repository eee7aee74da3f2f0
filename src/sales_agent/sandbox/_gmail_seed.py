"""The Gmail section of the seed (`data/gmail.json`) and the mailboxes built from it.

Messages are dated "days_ago at local_time" in the mailbox's time zone, so the mailbox
always looks current. They are stored in date order, so history ids follow time as in
Gmail, and only the last week of history is kept, so an older start id is "too old".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from sales_agent.sandbox._formats import html_to_plain
from sales_agent.sandbox._gmail_store import GmailStore

__all__ = ["HISTORY_KEPT", "SCENARIO_THREADS", "SeedGmail", "build_mailbox"]

SCENARIO_THREADS: dict[str, str] = {
    "new_lead": "thr-new_lead-01",
    "pricing_question": "thr-pricing_question-01",
    "meeting_request": "thr-meeting_request-01",
    "objection": "thr-objection-01",
    "not_interested": "thr-not_interested-01",
    "unsubscribe": "thr-unsubscribe-01",
    "out_of_office": "thr-out_of_office-01",
    "angry_reply": "thr-angry_reply-01",
    "referral": "thr-referral-01",
    "prompt_injection": "thr-prompt_injection-01",
    "confidential_bait": "thr-confidential_bait-01",
}
"""The canonical inbound thread of each scenario (the seed's index lists every thread)."""

HISTORY_KEPT = timedelta(days=7)
"""How far back history.list can start (Gmail documents "at least a week")."""

_OUTLOOK_RULE = "_" * 32


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _SeedMessage(_Model):
    id: str
    days_ago: int = Field(ge=0)
    local_time: str = "09:00"
    label_ids: list[str]
    message_id: str
    sender: str = Field(alias="from")
    to: list[str]
    cc: list[str] = []
    subject: str
    in_reply_to: str | None = None
    references: list[str] = []
    text: str | None = None
    html: str | None = None
    quote_previous: bool = False
    quote_style: Literal["gmail", "outlook"] = Field(
        default="gmail", description="'On ... wrote:' with '>' lines, or Outlook's header block."
    )
    headers: dict[str, str] = Field(default={}, description="Extra headers, e.g. Auto-Submitted.")
    dates: dict[str, int] = Field(
        default={},
        description="Placeholders in text/html ({name}) replaced by the date N days after sending.",
    )


class _SeedThread(_Model):
    id: str
    messages: list[_SeedMessage]


class _SeedMailbox(_Model):
    email: str
    time_zone: str
    threads: list[_SeedThread]


class _SeedScenario(_Model):
    canonical: str = Field(description="The thread tests and evals use for this scenario.")
    threads: list[str]


class SeedGmail(_Model):
    """The operator's threads, other people's mailboxes, and the inbound scenario index."""

    threads: list[_SeedThread]
    mailboxes: list[_SeedMailbox] = []
    scenarios: dict[str, _SeedScenario] = {}


def _sent_at(now: datetime, message: _SeedMessage, zone: ZoneInfo) -> datetime:
    day = now.astimezone(zone).date() - timedelta(days=message.days_ago)
    return datetime.combine(day, time.fromisoformat(message.local_time), zone)


def _quote(previous: EmailMessage, style: str) -> tuple[str, str]:
    """Write the plain and HTML quotations a mail client appends under a reply."""
    body = previous.get_body(preferencelist=("plain", "html"))
    content = body.get_content() if body is not None else ""
    plain = content if body is None or body.get_content_subtype() == "plain" else ""
    plain = plain or html_to_plain(content)
    if style == "outlook":
        fields = [("From", previous["From"]), ("Sent", previous["Date"])]
        fields += [("To", previous["To"]), ("Subject", previous["Subject"])]
        block = "\n".join(f"{name}: {value}" for name, value in fields)
        html_block = "<br>".join(f"<b>{name}:</b> {value}" for name, value in fields)
        html = f'<hr><div id="divRplyFwdMsg">{html_block}</div><div>{content}</div>'
        return f"\n\n{_OUTLOOK_RULE}\n{block}\n\n{plain}\n", html
    (name, address), *_ = getaddresses([str(previous["From"])])
    intro = f"On {previous['Date']}, {name} <{address}> wrote:"
    quoted = "\n".join(f"> {line}" if line else ">" for line in plain.splitlines())
    html = f'<div class="quote">{intro}<br><blockquote>{content}</blockquote></div>'
    return f"\n\n{intro}\n{quoted}\n", html


def _fill(text: str | None, dates: dict[str, str]) -> str | None:
    if text is None:
        return None
    for name, value in dates.items():
        text = text.replace(f"{{{name}}}", value)
    return text


def _mime(message: _SeedMessage, sent: datetime, previous: EmailMessage | None) -> EmailMessage:
    mime = EmailMessage()
    mime["From"] = message.sender
    mime["To"] = ", ".join(message.to)
    if message.cc:
        mime["Cc"] = ", ".join(message.cc)
    mime["Subject"] = message.subject
    mime["Date"] = format_datetime(sent)
    mime["Message-ID"] = message.message_id
    if message.in_reply_to:
        mime["In-Reply-To"] = message.in_reply_to
    if message.references:
        mime["References"] = " ".join(message.references)
    for name, value in message.headers.items():
        mime[name] = value
    dates = {}
    for name, offset in message.dates.items():
        day = sent.date() + timedelta(days=offset)
        dates[name] = f"{day:%A} {day.day} {day:%B %Y}"
    text, html = _fill(message.text, dates), _fill(message.html, dates)
    if message.quote_previous and previous is not None:
        plain_quote, html_quote = _quote(previous, message.quote_style)
        text = f"{text}{plain_quote}" if text is not None else None
        html = f"{html}{html_quote}" if html is not None else None
    if text is not None:
        mime.set_content(text)
        if html is not None:
            mime.add_alternative(html, subtype="html")
    elif html is not None:
        mime.set_content(html, subtype="html")
    return mime


@dataclass(frozen=True)
class _Rendered:
    id: str
    thread_id: str
    label_ids: tuple[str, ...]
    internal_date: datetime
    raw: bytes


def _render(threads: list[_SeedThread], time_zone: str, now: datetime) -> tuple[_Rendered, ...]:
    """Every message as RFC 822 bytes, oldest first whatever its thread."""
    zone = ZoneInfo(time_zone)
    rendered: list[_Rendered] = []
    for thread in threads:
        previous: EmailMessage | None = None
        for message in thread.messages:
            sent = _sent_at(now, message, zone)
            previous = _mime(message, sent, previous)
            rendered.append(
                _Rendered(
                    message.id,
                    thread.id,
                    tuple(message.label_ids),
                    sent.astimezone(UTC),
                    previous.as_bytes(),
                )
            )
    return tuple(sorted(rendered, key=lambda r: r.internal_date))


# Rendering MIME is most of a reset's time. The seed is read once per process, so a
# mailbox renders the same for the same start date: keep the last few renderings.
_RENDERED: dict[tuple[str, datetime], tuple[_Rendered, ...]] = {}
_RENDERED_KEPT = 8


def build_mailbox(
    address: str, threads: list[_SeedThread], time_zone: str, now: datetime
) -> GmailStore:
    """Build one mailbox; messages are added oldest first, so history ids follow time."""
    key = (address, now)
    if key not in _RENDERED:
        if len(_RENDERED) >= _RENDERED_KEPT:
            _RENDERED.clear()
        _RENDERED[key] = _render(threads, time_zone, now)
    store = GmailStore(address=address)
    for message in _RENDERED[key]:
        store.add(
            message.raw,
            thread_id=message.thread_id,
            label_ids=list(message.label_ids),
            internal_date=message.internal_date,
            message_id=message.id,
        )
    store.forget_history(before=now - HISTORY_KEPT)
    return store
