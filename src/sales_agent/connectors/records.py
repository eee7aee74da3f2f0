"""What the connectors return: typed, immutable views of the services' resources."""

from __future__ import annotations

from email.utils import formataddr

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

__all__ = [
    "BusyInterval",
    "CalendarEvent",
    "CrmNote",
    "EmailAddress",
    "GmailDraft",
    "GmailMessage",
    "GmailThread",
    "ReplyDraft",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class EmailAddress(_Frozen):
    """A mailbox, with its display name when the header had one."""

    email: str
    name: str = ""

    def formatted(self) -> str:
        """Render as a header value, `Name <email>`."""
        return formataddr((self.name, self.email))


class GmailMessage(_Frozen):
    """One message of a thread, headers decoded and body reduced to plain text."""

    id: str = Field(description="Gmail message id.")
    thread_id: str
    message_id: str = Field(description="The RFC 822 Message-ID header, with angle brackets.")
    in_reply_to: str | None = None
    references: list[str] = Field(default_factory=list, description="Message-IDs, oldest first.")
    sender: EmailAddress
    to: list[EmailAddress] = Field(default_factory=list)
    cc: list[EmailAddress] = Field(default_factory=list)
    subject: str = ""
    date: AwareDatetime = Field(description="When Gmail received it (internalDate), in UTC.")
    body_text: str = Field(description="text/plain part, or the HTML part as text.")
    label_ids: list[str] = Field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        """True for an unsent draft shown in its thread."""
        return "DRAFT" in self.label_ids


class GmailThread(_Frozen):
    """A conversation, oldest message first (drafts included, labelled DRAFT)."""

    id: str
    messages: list[GmailMessage]


class GmailDraft(_Frozen):
    """A saved draft and the message it holds."""

    id: str
    message: GmailMessage


class ReplyDraft(_Frozen):
    """An email to save as a draft, from the operator; without a thread it starts one."""

    thread_id: str | None = Field(default=None, description="Gmail thread to reply in.")
    to: list[EmailAddress]
    cc: list[EmailAddress] = Field(default_factory=list)
    subject: str
    body_text: str
    in_reply_to: str | None = Field(default=None, description="Message-ID answered.")
    references: list[str] = Field(
        default_factory=list, description="The thread's Message-IDs, oldest first."
    )
    idempotency_key: str | None = Field(
        default=None,
        description="Sent as the X-Sales-Agent-Key header, so a draft made by an attempt that "
        "died before recording it can be found again instead of made twice.",
    )
    list_unsubscribe: str | None = Field(
        default=None,
        description="The one-click unsubscribe URL (RFC 8058) the message carries, if any.",
    )


class BusyInterval(_Frozen):
    """A busy stretch of a calendar, in UTC."""

    start: AwareDatetime
    end: AwareDatetime


class CalendarEvent(_Frozen):
    """One (single, not recurring) event of a calendar, times in UTC."""

    id: str
    summary: str = Field(default="", description="The title; empty when the event has none.")
    start: AwareDatetime
    end: AwareDatetime
    all_day: bool = Field(default=False, description="Dated, not timed: midnight to midnight.")
    busy: bool = Field(default=True, description="False when it leaves the time free.")
    organizer: EmailAddress | None = None
    attendees: list[EmailAddress] = Field(default_factory=list)
    location: str | None = None
    html_link: str | None = None


class CrmNote(_Frozen):
    """A HubSpot note and the records it is attached to."""

    id: str
    body: str
    timestamp: AwareDatetime
    contact_ids: list[str] = Field(default_factory=list)
    company_ids: list[str] = Field(default_factory=list)
