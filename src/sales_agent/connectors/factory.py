"""Connectors built from settings: the real services where credentials exist, else the sandbox."""

from __future__ import annotations

from dataclasses import dataclass, replace

from google.auth.credentials import Credentials

from sales_agent.config import Settings
from sales_agent.connectors.account_tokens import AccountTokens, ConnectedGoogleCredentials
from sales_agent.connectors.drive import DriveClient
from sales_agent.connectors.drive_models import DriveAllowlist
from sales_agent.connectors.gmail import GmailClient
from sales_agent.connectors.google_api import (
    anonymous_credentials,
    build_google_service,
    sandbox_endpoint,
    service_account_credentials,
)
from sales_agent.connectors.google_calendar import CalendarClient
from sales_agent.connectors.hubspot_base import hubspot_api
from sales_agent.connectors.hubspot_crm import HubSpotClient
from sales_agent.connectors.records import EmailAddress
from sales_agent.connectors.retry import DEFAULT_RETRY, RetryPolicy
from sales_agent.errors import ConfigError

__all__ = ["Connectors", "build_connectors"]

# The sandbox ignores tokens; the client library still wants one to build its header.
_SANDBOX_HUBSPOT_TOKEN = "sandbox"


@dataclass(frozen=True)
class Connectors:
    """One client per external service, built once per process."""

    gmail: GmailClient
    calendar: CalendarClient
    hubspot: HubSpotClient
    drive: DriveClient


def _require_sandbox(sandbox_url: str | None, service: str, variables: str) -> str:
    if sandbox_url is None:
        raise ConfigError(
            f"{service} has no credentials and no sandbox is running: set {variables}, "
            "or SALES_AGENT_SANDBOX_URL, or let the command start the sandbox"
        )
    return sandbox_url


def build_connectors(
    settings: Settings,
    sandbox_url: str | None,
    *,
    retry: RetryPolicy = DEFAULT_RETRY,
    tokens: AccountTokens | None = None,
) -> Connectors:
    """Build Gmail, Calendar, Drive and HubSpot clients; without credentials, the sandbox.

    `tokens` resolves the operator's tokens (connected accounts first); without it, only the
    settings' tokens are used.
    """
    tokens = tokens or AccountTokens(settings)
    if settings.uses_real_google:
        credentials: Credentials = ConnectedGoogleCredentials(settings, tokens.google_refresh_token)
        gmail_endpoint = calendar_endpoint = drive_endpoint = gmail_batch_uri = None
        if settings.google_api_url is not None:
            gmail_endpoint = sandbox_endpoint(settings.google_api_url, "gmail", "v1")
            # Batches ignore the endpoint override: without this they would go to Google.
            gmail_batch_uri = f"{settings.google_api_url.rstrip('/')}/batch/gmail/v1"
            calendar_endpoint = sandbox_endpoint(settings.google_api_url, "calendar", "v3")
            drive_endpoint = sandbox_endpoint(settings.google_api_url, "drive", "v3")
    else:
        base = _require_sandbox(
            sandbox_url,
            "Google",
            "SALES_AGENT_GOOGLE_CLIENT_ID and SALES_AGENT_GOOGLE_CLIENT_SECRET (then connect "
            "the account: docs/CONNECT.md)",
        )
        credentials = anonymous_credentials()
        gmail_endpoint = sandbox_endpoint(base, "gmail", "v1")
        # Batches ignore the endpoint override: without this they would go to Google.
        gmail_batch_uri = f"{base.rstrip('/')}/batch/gmail/v1"
        calendar_endpoint = sandbox_endpoint(base, "calendar", "v3")
        drive_endpoint = sandbox_endpoint(base, "drive", "v3")

    hubspot_token = tokens.hubspot_token()
    if hubspot_token is not None:
        hubspot = hubspot_api(hubspot_token)
    else:
        base = _require_sandbox(sandbox_url, "HubSpot", "SALES_AGENT_HUBSPOT_ACCESS_TOKEN")
        hubspot = hubspot_api(_SANDBOX_HUBSPOT_TOKEN, host=base)

    timeout = settings.api_timeout_seconds
    gmail_service = build_google_service(
        "gmail", "v1", credentials=credentials, api_endpoint=gmail_endpoint, timeout=timeout
    )
    calendar_service = build_google_service(
        "calendar", "v3", credentials=credentials, api_endpoint=calendar_endpoint, timeout=timeout
    )
    drive_credentials = credentials
    if settings.uses_real_google and settings.google_service_account_file is not None:
        # Drive is only read (indexing): a read-only service account acting as the operator.
        drive_credentials = service_account_credentials(
            settings.google_service_account_file, settings.operator_email
        )
    drive_service = build_google_service(
        "drive", "v3", credentials=drive_credentials, api_endpoint=drive_endpoint, timeout=timeout
    )
    operator = EmailAddress(email=settings.operator_email, name=settings.operator_name)
    # The sandbox emulates the APIs, not their quotas: pacing it to Google's and HubSpot's
    # budgets would only slow tests and benchmarks. Its 429 faults test the rate-limit path.
    google_retry = retry if settings.uses_real_google else replace(retry, paced=False)
    hubspot_retry = retry if hubspot_token is not None else replace(retry, paced=False)
    return Connectors(
        gmail=GmailClient(
            gmail_service, operator=operator, retry=google_retry, batch_uri=gmail_batch_uri
        ),
        calendar=CalendarClient(calendar_service, retry=google_retry),
        hubspot=HubSpotClient(
            hubspot,
            retry=hubspot_retry,
            writable_properties=settings.hubspot_writable_properties,
            timeout=timeout,
        ),
        drive=DriveClient(
            drive_service, allowlist=DriveAllowlist.from_settings(settings), retry=google_retry
        ),
    )
