"""Building Google API clients (real or sandbox) and executing their requests.

Every request goes through `execute`: no library retries, our retry policy, and every
failure turned into a `ConnectorError`.
"""

from __future__ import annotations

import json
from typing import Any

import google_auth_httplib2
from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials as UserCredentials
from googleapiclient.discovery import build
from googleapiclient.discovery_cache import get_static_doc
from googleapiclient.errors import HttpError
from googleapiclient.http import HttpRequest, build_http

from sales_agent.errors import ConnectorError
from sales_agent.tools.retry import (
    DEFAULT_RETRY,
    TRANSIENT_STATUSES,
    RetryPolicy,
    TransientConnectorError,
    call_with_retry,
    parse_retry_after,
)

__all__ = [
    "GOOGLE_SCOPES",
    "GoogleService",
    "anonymous_credentials",
    "build_google_service",
    "execute",
    "oauth_credentials",
    "sandbox_endpoint",
]

GoogleService = Any
"""A googleapiclient `Resource`; the library is untyped."""

GOOGLE_SCOPES = (
    "https://www.googleapis.com/auth/gmail.modify",
    "https://www.googleapis.com/auth/calendar.readonly",
    "https://www.googleapis.com/auth/drive.readonly",
)
_TOKEN_URI = "https://oauth2.googleapis.com/token"
_RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
# httplib2 ships no type information; reach it through google_auth_httplib2 instead.
_HTTPLIB2_ERROR: type[Exception] = google_auth_httplib2.httplib2.HttpLib2Error


def oauth_credentials(client_id: str, client_secret: str, refresh_token: str) -> Credentials:
    """Return the operator's OAuth user credentials; the access token refreshes on first use."""
    return UserCredentials(  # type: ignore[no-untyped-call]
        token=None,
        refresh_token=refresh_token,
        client_id=client_id,
        client_secret=client_secret,
        token_uri=_TOKEN_URI,
        scopes=list(GOOGLE_SCOPES),
    )


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
    name: str, version: str, *, credentials: Credentials, api_endpoint: str | None = None
) -> GoogleService:
    """Build a client once, from the packaged discovery document (no network at build time).

    httplib2 connections are not thread-safe, so each request gets its own.
    """

    def request_builder(_http: Any, *args: Any, **kwargs: Any) -> HttpRequest:
        fresh = google_auth_httplib2.AuthorizedHttp(credentials, http=build_http())
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


def _translate(service: str, error: HttpError) -> ConnectorError:
    status = int(error.resp.status)
    details = error.error_details if isinstance(error.error_details, list) else []
    reasons = {d.get("reason") for d in details if isinstance(d, dict)}
    message = f"HTTP {status}: {error.reason or 'no reason given'}"
    if status in TRANSIENT_STATUSES or (status == 403 and reasons & _RATE_LIMIT_REASONS):
        retry_after = parse_retry_after(error.resp.get("retry-after"))
        return TransientConnectorError(service, message, status=status, retry_after=retry_after)
    if status == 401:
        message += " (check the Google OAuth client id, secret and refresh token)"
    return ConnectorError(service, message, status=status)


def _execute_once(service: str, request: HttpRequest) -> dict[str, Any]:
    try:
        response: dict[str, Any] = request.execute(num_retries=0)
    except HttpError as error:
        raise _translate(service, error) from error
    except RefreshError as error:
        message = f"OAuth refresh failed ({error}); re-authorise the operator's Google account"
        raise ConnectorError(service, message, status=401) from error
    except (OSError, TransportError) as error:  # refused, reset, timed out
        raise TransientConnectorError(service, f"connection failed: {error!r}") from error
    except _HTTPLIB2_ERROR as error:  # unknown host, redirect loop: retrying will not help
        raise ConnectorError(service, f"request failed: {error!r}") from error
    return response


def execute(
    service: str, request: HttpRequest, *, retry: RetryPolicy = DEFAULT_RETRY
) -> dict[str, Any]:
    """Execute a googleapiclient request under the retry policy; failures as ConnectorError."""
    return call_with_retry(lambda: _execute_once(service, request), retry)
