"""Typed connectors to Gmail, Calendar and HubSpot (real services or the sandbox)."""

from sales_agent.tools.factory import Connectors, build_connectors
from sales_agent.tools.gmail import GmailClient
from sales_agent.tools.gmail_reply import build_reply
from sales_agent.tools.google_calendar import CalendarClient
from sales_agent.tools.hubspot_crm import HubSpotClient
from sales_agent.tools.models import (
    BusyInterval,
    CrmCompany,
    CrmContact,
    CrmNote,
    EmailAddress,
    GmailDraft,
    GmailMessage,
    GmailThread,
    ReplyDraft,
)
from sales_agent.tools.retry import DEFAULT_RETRY, RetryPolicy

__all__ = [
    "DEFAULT_RETRY",
    "BusyInterval",
    "CalendarClient",
    "Connectors",
    "CrmCompany",
    "CrmContact",
    "CrmNote",
    "EmailAddress",
    "GmailClient",
    "GmailDraft",
    "GmailMessage",
    "GmailThread",
    "HubSpotClient",
    "ReplyDraft",
    "RetryPolicy",
    "build_connectors",
    "build_reply",
]
