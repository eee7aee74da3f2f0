"""Typed connectors to Gmail, Calendar, Drive and HubSpot (real services or the sandbox)."""

from sales_agent.tools.drive import DriveAccessError, DriveClient
from sales_agent.tools.drive_models import AssetType, DriveAllowlist, DriveFile, DriveFolder
from sales_agent.tools.factory import Connectors, build_connectors
from sales_agent.tools.gmail import GmailClient
from sales_agent.tools.gmail_models import (
    GmailHistoryExpiredError,
    GmailHistoryPage,
    GmailHistoryRecord,
    GmailLabel,
    GmailMessagePage,
    GmailMessageRef,
    GmailProfile,
    GmailThreadPage,
    GmailThreadSummary,
    GmailWatch,
)
from sales_agent.tools.gmail_parsing import strip_reply
from sales_agent.tools.gmail_reply import build_reply
from sales_agent.tools.google_calendar import CalendarClient
from sales_agent.tools.hubspot_base import PropertyNotAllowedError
from sales_agent.tools.hubspot_crm import HubSpotClient
from sales_agent.tools.hubspot_models import (
    CrmDeal,
    CrmFilter,
    CrmOwner,
    CrmPage,
    CrmSort,
    CrmTask,
    FormSubmissionPage,
    HubSpotForm,
    HubSpotFormSubmission,
)
from sales_agent.tools.models import (
    BusyInterval,
    CalendarEvent,
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
    "AssetType",
    "BusyInterval",
    "CalendarClient",
    "CalendarEvent",
    "Connectors",
    "CrmCompany",
    "CrmContact",
    "CrmDeal",
    "CrmFilter",
    "CrmNote",
    "CrmOwner",
    "CrmPage",
    "CrmSort",
    "CrmTask",
    "DriveAccessError",
    "DriveAllowlist",
    "DriveClient",
    "DriveFile",
    "DriveFolder",
    "EmailAddress",
    "FormSubmissionPage",
    "GmailClient",
    "GmailDraft",
    "GmailHistoryExpiredError",
    "GmailHistoryPage",
    "GmailHistoryRecord",
    "GmailLabel",
    "GmailMessage",
    "GmailMessagePage",
    "GmailMessageRef",
    "GmailProfile",
    "GmailThread",
    "GmailThreadPage",
    "GmailThreadSummary",
    "GmailWatch",
    "HubSpotClient",
    "HubSpotForm",
    "HubSpotFormSubmission",
    "PropertyNotAllowedError",
    "ReplyDraft",
    "RetryPolicy",
    "build_connectors",
    "build_reply",
    "strip_reply",
]
