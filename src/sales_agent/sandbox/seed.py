"""The seeded workspace: the `data/*.json` files validated, then built relative to a date.

Dates in the seed are offsets ("days_ago" at a local time, calendar templates per day) so the
workspace always looks current, and the same start date always yields the same workspace.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from sales_agent.sandbox._calendar_store import BusyBlock, CalendarStore
from sales_agent.sandbox._crm_store import CrmStore
from sales_agent.sandbox._formats import html_to_plain
from sales_agent.sandbox._gmail_store import GmailStore

__all__ = [
    "SEED_CALENDAR_ID",
    "SEED_COMPANY_ID",
    "SEED_CONTACT_ID",
    "SEED_FORM_SUBMISSION_ID",
    "SEED_LEAD_EMAIL",
    "SEED_LEAD_THREAD_ID",
    "FormSubmission",
    "Operator",
    "SeedData",
    "build_calendar",
    "build_crm",
    "build_form_submissions",
    "build_gmail",
    "read_seed",
]

# Ids in the seed data that code and tests name directly (a unit test keeps them in step).
SEED_LEAD_THREAD_ID = "thr-northwind-001"
SEED_LEAD_EMAIL = "priya@northwind-logistics.example"
SEED_CONTACT_ID = "1001"
SEED_COMPANY_ID = "2001"
SEED_FORM_SUBMISSION_ID = "form-sub-0001"
SEED_CALENDAR_ID = "dana@chaingepartners.example"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Operator(_Model):
    """The person whose mailbox, calendar and CRM the sandbox emulates."""

    name: str
    email: str
    time_zone: str
    company: str


class FormSubmission(_Model):
    """A HubSpot form submission (forms v1 `conversionId`, `values` flattened by name)."""

    id: str
    form_id: str
    page_url: str
    submitted_at: datetime
    values: dict[str, str]


class _Relative(_Model):
    days_ago: int = Field(ge=0)
    local_time: str = "09:00"


class _SeedMessage(_Relative):
    id: str
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


class _SeedThread(_Model):
    id: str
    messages: list[_SeedMessage]


class _SeedGmail(_Model):
    threads: list[_SeedThread]


class _SeedCalendar(_Model):
    id: str
    time_zone: str
    days_ahead: int
    day_templates: list[list[tuple[time, time]]]


class _SeedCalendars(_Model):
    calendars: list[_SeedCalendar]


class _SeedRecord(_Model):
    id: str
    days_ago: int
    properties: dict[str, str]


class _SeedAssociation(_Model):
    from_type: str
    from_id: str
    to_type: str
    to_id: str
    type_id: int


class _SeedFormSubmission(_Relative):
    id: str
    form_id: str
    page_url: str
    values: dict[str, str]


class _SeedHubSpot(_Model):
    companies: list[_SeedRecord]
    contacts: list[_SeedRecord]
    associations: list[_SeedAssociation]
    form_submissions: list[_SeedFormSubmission]


class SeedData(_Model):
    """The whole seed file, validated."""

    operator: Operator
    gmail: _SeedGmail
    calendar: _SeedCalendars
    hubspot: _SeedHubSpot


SEED_SECTIONS = ("operator", "gmail", "calendar", "hubspot")
"""One file per section under `data/`, written by `python -m scripts.workspace`."""


@lru_cache(maxsize=1)
def read_seed() -> SeedData:
    """Read the packaged seed (once)."""
    data = resources.files(__package__).joinpath("data")
    return SeedData.model_validate(
        {
            section: json.loads(data.joinpath(f"{section}.json").read_text(encoding="utf-8"))
            for section in SEED_SECTIONS
        }
    )


def _at(now: datetime, when: _Relative, zone: ZoneInfo) -> datetime:
    day = now.astimezone(zone).date() - timedelta(days=when.days_ago)
    return datetime.combine(day, time.fromisoformat(when.local_time), zone)


def _quote(previous: EmailMessage) -> tuple[str, str]:
    """Write the plain and HTML quotations a mail client appends under a reply."""
    body = previous.get_body(preferencelist=("plain", "html"))
    content = body.get_content() if body is not None else ""
    plain = content if body is None or body.get_content_subtype() == "plain" else ""
    plain = plain or html_to_plain(content)
    (name, address), *_ = getaddresses([str(previous["From"])])
    intro = f"On {previous['Date']}, {name} <{address}> wrote:"
    quoted = "\n".join(f"> {line}" if line else ">" for line in plain.splitlines())
    html = f'<div class="quote">{intro}<br><blockquote>{content}</blockquote></div>'
    return f"\n\n{intro}\n{quoted}\n", html


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
    text, html = message.text, message.html
    if message.quote_previous and previous is not None:
        plain_quote, html_quote = _quote(previous)
        text = f"{text}{plain_quote}" if text is not None else None
        html = f"{html}{html_quote}" if html is not None else None
    if text is not None:
        mime.set_content(text)
        if html is not None:
            mime.add_alternative(html, subtype="html")
    elif html is not None:
        mime.set_content(html, subtype="html")
    return mime


def build_gmail(seed: SeedData, now: datetime) -> GmailStore:
    """Build the operator's mailbox with the seeded threads."""
    store = GmailStore()
    zone = ZoneInfo(seed.operator.time_zone)
    for thread in seed.gmail.threads:
        previous: EmailMessage | None = None
        for message in thread.messages:
            sent = _at(now, message, zone)
            previous = _mime(message, sent, previous)
            store.add(
                previous.as_bytes(),
                thread_id=thread.id,
                label_ids=list(message.label_ids),
                internal_date=sent.astimezone(UTC),
                message_id=message.id,
            )
    return store


def _busy_days(calendar: _SeedCalendar, today: date) -> list[BusyBlock]:
    zone = ZoneInfo(calendar.time_zone)
    blocks: list[BusyBlock] = []
    for offset in range(calendar.days_ahead):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        # Keyed by the date itself, so a given day looks the same whatever the start date.
        template = calendar.day_templates[day.toordinal() % len(calendar.day_templates)]
        for start, end in template:
            blocks.append(
                BusyBlock(
                    datetime.combine(day, start, zone).astimezone(UTC),
                    datetime.combine(day, end, zone).astimezone(UTC),
                )
            )
    return blocks


def build_calendar(seed: SeedData, now: datetime) -> CalendarStore:
    """Build busy blocks on each business day from `now`; `primary` is the operator's."""
    calendars = {
        cal.id: _busy_days(cal, now.astimezone(ZoneInfo(cal.time_zone)).date())
        for cal in seed.calendar.calendars
    }
    return CalendarStore(calendars=calendars, aliases={"primary": seed.operator.email})


def build_crm(seed: SeedData, now: datetime) -> CrmStore:
    """Build companies, then contacts with their associations."""
    store = CrmStore()
    for object_type, records in (
        ("companies", seed.hubspot.companies),
        ("contacts", seed.hubspot.contacts),
    ):
        for record in records:
            links = [
                (a.to_id, a.type_id)
                for a in seed.hubspot.associations
                if (a.from_type, a.from_id) == (object_type, record.id)
            ]
            store.create(
                object_type,
                dict(record.properties),
                links,
                now=now - timedelta(days=record.days_ago),
                object_id=record.id,
            )
    return store


def build_form_submissions(seed: SeedData, now: datetime) -> list[FormSubmission]:
    """Build the seeded form submissions, newest first as the forms API lists them."""
    zone = ZoneInfo(seed.operator.time_zone)
    submissions = [
        FormSubmission(
            id=sub.id,
            form_id=sub.form_id,
            page_url=sub.page_url,
            submitted_at=_at(now, sub, zone).astimezone(UTC),
            values=dict(sub.values),
        )
        for sub in seed.hubspot.form_submissions
    ]
    return sorted(submissions, key=lambda s: s.submitted_at, reverse=True)
