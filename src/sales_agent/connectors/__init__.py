"""Typed connectors to Gmail, Calendar, Drive and HubSpot (real services or the sandbox)."""

from sales_agent.connectors.drive import DriveAccessError, DriveClient
from sales_agent.connectors.drive_models import AssetType, DriveAllowlist, DriveFile, DriveFolder
from sales_agent.connectors.factory import Connectors, build_connectors
from sales_agent.connectors.gmail import GmailClient
from sales_agent.connectors.gmail_models import (
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
from sales_agent.connectors.gmail_parsing import strip_reply
from sales_agent.connectors.gmail_reply import build_reply
from sales_agent.connectors.google_calendar import CalendarClient
from sales_agent.connectors.hubspot_base import PropertyNotAllowedError
from sales_agent.connectors.hubspot_crm import HubSpotClient
from sales_agent.connectors.hubspot_models import (
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
from sales_agent.connectors.records import (
    BusyInterval,
    CalendarEvent,
    CrmNote,
    EmailAddress,
    GmailDraft,
    GmailMessage,
    GmailThread,
    ReplyDraft,
)
from sales_agent.connectors.retry import DEFAULT_RETRY, RetryPolicy
from sales_agent.domain.crm_records import CrmCompany, CrmContact

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
