"""Building Google API clients (real or sandbox) and executing their requests.

Credentials: the operator's OAuth client and refresh token (read and write), a service
account with domain-wide delegation acting as the operator (read-only indexing), or none
for the sandbox. Every request goes through `execute`: no library retries, the one wrapper
in `retry.py` (breaker, pacing, retries), and every failure turned into a `ConnectorError`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import google_auth_httplib2
from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2 import service_account
from google.oauth2.credentials import Credentials as UserCredentials
from googleapiclient.discovery import build
from googleapiclient.discovery_cache import get_static_doc
from googleapiclient.errors import HttpError
from googleapiclient.http import HttpRequest, build_http

from sales_agent.connectors.pacing import request_cost
from sales_agent.connectors.retry import (
    DEFAULT_RETRY,
    TRANSIENT_STATUSES,
    RetryPolicy,
    TransientConnectorError,
    call_with_retry,
    parse_retry_after,
)
from sales_agent.errors import ConnectorError

__all__ = [
    "DEFAULT_TIMEOUT",
    "GOOGLE_READONLY_SCOPES",
    "GOOGLE_SCOPES",
    "GOOGLE_TOKEN_URI",
    "GoogleService",
    "anonymous_credentials",
    "build_google_service",
    "execute",
    "http_error",
    "oauth_credentials",
    "sandbox_endpoint",
    "service_account_credentials",
    "translated",
]

T = TypeVar("T")

GoogleService = Any
"""A googleapiclient `Resource`; the library is untyped."""

GOOGLE_SCOPES = (
    # Read threads, messages, history, labels and the profile; watch the mailbox.
    "https://www.googleapis.com/auth/gmail.readonly",
    # Create, update, delete and send drafts (and send): no label changes, no trash.
    "https://www.googleapis.com/auth/gmail.compose",
    # freebusy.query for meeting slots.
    "https://www.googleapis.com/auth/calendar.freebusy",
    # events.list: a meeting booked with the lead ends their sequence.
    "https://www.googleapis.com/auth/calendar.events.readonly",
    # List and export the allowlisted folders' documents (drive.file would not see them).
    "https://www.googleapis.com/auth/drive.readonly",
)
"""Exactly what the product asks the operator to grant (docs/CONNECT.md says why each)."""
GOOGLE_READONLY_SCOPES = (
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/calendar.readonly",
    "https://www.googleapis.com/auth/drive.readonly",
)
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
DEFAULT_TIMEOUT = 20.0
"""Seconds one HTTP request may take before it fails as a transient timeout."""
_RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
# httplib2 ships no type information; reach it through google_auth_httplib2 instead.
_HTTPLIB2_ERROR: type[Exception] = google_auth_httplib2.httplib2.HttpLib2Error


def oauth_credentials(
    client_id: str,
    client_secret: str,
    refresh_token: str,
    *,
    token_uri: str = GOOGLE_TOKEN_URI,
    scopes: Sequence[str] = (),
) -> Credentials:
    """Return the operator's OAuth user credentials.

    The access token refreshes on first use, and again whenever it expires or a call gets 401.
    With no `scopes` the refresh names none and gets every scope the token was granted (a
    token granted other scopes than today's `GOOGLE_SCOPES` still refreshes).
    """
    return UserCredentials(  # type: ignore[no-untyped-call]
        token=None,
        refresh_token=refresh_token,
        client_id=client_id,
        client_secret=client_secret,
        token_uri=token_uri,
        scopes=list(scopes) or None,
    )


def service_account_credentials(
    key_file: Path, subject: str, *, scopes: Sequence[str] = GOOGLE_READONLY_SCOPES
) -> Credentials:
    """Return service-account credentials acting as `subject` (domain-wide delegation).

    Read-only scopes by default: the service account indexes the operator's Drive and mail,
    it never writes. The token endpoint comes from the key file.
    """
    try:
        credentials = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
            str(key_file), scopes=list(scopes), subject=subject
        )
    except (OSError, ValueError) as error:
        raise ConnectorError(
            "google",
            f"cannot read the service-account key {key_file} ({error}); "
            "check SALES_AGENT_GOOGLE_SERVICE_ACCOUNT_FILE points to the JSON key",
        ) from error
    return credentials  # type: ignore[no-any-return]


def anonymous_credentials() -> Credentials:
    """Return credentials that add no Authorization header (the sandbox needs none)."""
    return AnonymousCredentials()  # type: ignore[no-untyped-call]


def sandbox_endpoint(sandbox_url: str, name: str, version: str) -> str:
    """Return the `api_endpoint` under which the API's method paths resolve on the sandbox.

    The override replaces rootUrl + servicePath. Gmail's servicePath is empty (its method
    paths start `gmail/v1/`), while Calendar's and Drive's is `calendar/v3/` and `drive/v3/`,
    so it is read from the packaged discovery document and put back.
    """
    document = get_static_doc(name, version)
    if document is None:
        raise ConnectorError(name, f"no packaged discovery document for {name} {version}")
    service_path = json.loads(document)["servicePath"]
    return f"{sandbox_url.rstrip('/')}/{service_path}"


def build_google_service(
    name: str,
    version: str,
    *,
    credentials: Credentials,
    api_endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> GoogleService:
    """Build a client once, from the packaged discovery document (no network at build time).

    httplib2 connections are not thread-safe, so each request gets its own, with `timeout`.
    """

    def request_builder(_http: Any, *args: Any, **kwargs: Any) -> HttpRequest:
        http = build_http()
        http.timeout = timeout
        fresh = google_auth_httplib2.AuthorizedHttp(credentials, http=http)
        return HttpRequest(fresh, *args, **kwargs)

    options = {"api_endpoint": api_endpoint} if api_endpoint else None
    return build(
        name,
        version,
        http=google_auth_httplib2.AuthorizedHttp(credentials, http=build_http()),
        requestBuilder=request_builder,
        static_discovery=True,
        cache_discovery=False,
        client_options=options,
    )


# Google methods whose repetition would repeat their effect (a second draft, a second send).
NON_IDEMPOTENT_METHODS = frozenset(
    {
        "gmail.users.drafts.create",
        "gmail.users.drafts.send",
        "gmail.users.messages.send",
        "gmail.users.messages.insert",
        "gmail.users.messages.import",
    }
)


def http_error(service: str, error: HttpError) -> ConnectorError:
    """A Google API error as our error: transient (429, 5xx, rate-limit 403s) or not."""
    status = int(error.resp.status)
    details = error.error_details if isinstance(error.error_details, list) else []
    reasons = {d.get("reason") for d in details if isinstance(d, dict)}
    message = f"HTTP {status}: {error.reason or 'no reason given'}"
    rate_limited = status == 403 and bool(reasons & _RATE_LIMIT_REASONS)
    if status in TRANSIENT_STATUSES or rate_limited:
        retry_after = parse_retry_after(error.resp.get("retry-after"))
        return TransientConnectorError(
            service,
            message,
            status=status,
            retry_after=retry_after,
            may_have_run=False if rate_limited else None,
        )
    if status == 401:
        message += " (check the Google OAuth client id, secret and refresh token)"
    return ConnectorError(service, message, status=status)


def _execute_once(service: str, request: HttpRequest) -> dict[str, Any]:
    response: dict[str, Any] = translated(service, lambda: request.execute(num_retries=0))
    return response


def translated(service: str, call: Callable[[], T]) -> T:
    """Run one HTTP exchange of `service`; its failures as (transient or not) ConnectorError."""
    try:
        return call()
    except HttpError as error:
        raise http_error(service, error) from error
    except RefreshError as error:
        if error.retryable:  # the token endpoint itself had a 5xx
            raise TransientConnectorError(service, f"OAuth refresh failed: {error}") from error
        message = f"OAuth refresh failed ({error}); re-authorise the operator's Google account"
        raise ConnectorError(service, message, status=401) from error
    except TimeoutError as error:
        raise TransientConnectorError(service, f"timed out ({error})") from error
    except ConnectionRefusedError as error:  # nothing reached the service
        message = f"connection refused: {error!r}"
        raise TransientConnectorError(service, message, may_have_run=False) from error
    except (OSError, TransportError) as error:  # reset, dropped: it may have acted
        raise TransientConnectorError(service, f"connection failed: {error!r}") from error
    except _HTTPLIB2_ERROR as error:  # unknown host, redirect loop: retrying will not help
        raise ConnectorError(service, f"request failed: {error!r}") from error


def execute(
    service: str, request: HttpRequest, *, retry: RetryPolicy = DEFAULT_RETRY
) -> dict[str, Any]:
    """Execute a googleapiclient request through the one wrapper; failures as ConnectorError.

    Its cost in quota units comes from the method (Gmail's per-method units).
    """
    method = getattr(request, "methodId", None)
    return call_with_retry(
        lambda: _execute_once(service, request),
        retry,
        service=service,
        cost=request_cost(method),
        idempotent=method not in NON_IDEMPOTENT_METHODS,
    )
