"""What the email-event, performance and stats routes answer.

Opens and clicks are not tracked (docs/EMAIL_EVENTS.md says why): their fields exist so a
client can tell "not tracked" (null) from zero, and are always null.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

__all__ = [
    "ContactStats",
    "ContactStatsList",
    "DailyStats",
    "DailyStatsList",
    "EmailEvent",
    "EmailEventList",
    "EmailPerformance",
]


class EmailEvent(BaseModel):
    """One thing that happened after a send."""

    id: int
    kind: str = Field(
        description="sent, bounced, replied, unsubscribed, complained or meeting_booked."
    )
    occurred_at: datetime
    draft_id: str | None
    thread_id: str | None
    contact_email: str | None
    company_id: str | None
    gmail_message_id: str | None
    source: str = Field(description="agent (our send), gmail (the sync) or unsubscribe_link.")
    detail: dict[str, Any]
    opened_at: None = Field(default=None, description="Not tracked: always null.")
    clicked_at: None = Field(default=None, description="Not tracked: always null.")


class EmailEventList(BaseModel):
    """A draft's events, oldest first."""

    draft_id: str
    events: list[EmailEvent]


class EmailPerformance(BaseModel):
    """Counts, and rates over delivered (the bounce rate over sent); null rates: none sent."""

    company_id: str | None
    sent: int
    delivered: int = Field(description="Sent minus bounced.")
    bounced: int
    replied: int
    unsubscribed: int
    complained: int
    meetings: int
    bounce_rate: float | None = Field(description="bounced / sent.")
    reply_rate: float | None = Field(description="replied / delivered.")
    unsubscribe_rate: float | None = Field(description="unsubscribed / delivered.")
    complaint_rate: float | None = Field(description="complained / delivered.")
    meeting_rate: float | None = Field(description="meetings / delivered.")
    opens: None = Field(default=None, description="Not tracked: always null.")
    clicks: None = Field(default=None, description="Not tracked: always null.")


class DailyStats(BaseModel):
    """One of the operator's days."""

    date: date
    sent: int
    bounced: int
    replied: int
    unsubscribed: int
    complained: int
    meetings: int


class DailyStatsList(BaseModel):
    """Every day of the period, oldest first, days without events as zeros."""

    timezone: str
    days: list[DailyStats]


class ContactStats(BaseModel):
    """One contact's events."""

    contact_email: str
    sent: int
    bounced: int
    replied: int
    unsubscribed: int
    complained: int
    meetings: int
    last_event_at: datetime


class ContactStatsList(BaseModel):
    """A company's contacts, most recently active first."""

    company_id: str
    contacts: list[ContactStats]
