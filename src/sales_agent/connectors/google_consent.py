"""Google's OAuth 2.0 authorization-code flow with PKCE (RFC 7636, S256).

The same flow serves the web server's callback and the CLI's loopback redirect.
`consent_url` is where the admin's browser goes (Google's consent screen, or the sandbox's
stand-in); `exchange_code` trades the code the callback receives, with the verifier only
this server knows, for the refresh token. oauthlib (under google-auth-oauthlib) refuses any
`http://` endpoint without a process-wide environment switch, which would make the sandbox
flow untestable, so the two requests are built here: both are a handful of form fields.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from sales_agent.config import Settings
from sales_agent.connectors.gmail import GmailClient
from sales_agent.connectors.google_api import (
    GOOGLE_SCOPES,
    build_google_service,
    oauth_credentials,
    sandbox_endpoint,
)
from sales_agent.connectors.records import EmailAddress
from sales_agent.errors import ConfigError, ConnectorError

__all__ = [
    "GoogleGrant",
    "PkcePair",
    "connected_mailbox",
    "consent_url",
    "exchange_code",
    "new_pkce",
    "new_state",
]

_TIMEOUT = 20.0


@dataclass(frozen=True)
class PkcePair:
    """A PKCE verifier (kept server-side) and its S256 challenge (sent in the URL)."""

    verifier: str
    challenge: str


@dataclass(frozen=True)
class GoogleGrant:
    """What the code bought: the refresh token and the scopes the operator granted."""

    refresh_token: str
    scopes: tuple[str, ...]


def new_state() -> str:
    """An unguessable, single-use `state` (256 bits)."""
    return secrets.token_urlsafe(32)


def new_pkce() -> PkcePair:
    """A verifier of 86 characters (RFC 7636 allows 43-128) and its S256 challenge."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return PkcePair(verifier=verifier, challenge=challenge)


def _client(settings: Settings) -> tuple[str, str]:
    if settings.google_client_id is None or settings.google_client_secret is None:
        raise ConfigError(
            "connecting a Google account needs the OAuth client: set "
            "SALES_AGENT_GOOGLE_CLIENT_ID and SALES_AGENT_GOOGLE_CLIENT_SECRET "
            "(docs/CONNECT.md says how to create one)",
            code="google_client_missing",
        )
    return settings.google_client_id, settings.google_client_secret.get_secret_value()


def consent_url(settings: Settings, *, redirect_uri: str, state: str, challenge: str) -> str:
    """Google's consent screen asking for exactly `GOOGLE_SCOPES`, offline (a refresh token)."""
    client_id, _ = _client(settings)
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(GOOGLE_SCOPES),
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        # A refresh token, issued again even if the operator consented before.
        "access_type": "offline",
        "prompt": "consent",
        "login_hint": settings.operator_email,
    }
    return f"{settings.google_auth_uri}?{urlencode(query)}"


def exchange_code(
    settings: Settings, *, code: str, redirect_uri: str, verifier: str
) -> GoogleGrant:
    """Trade an authorization code (and its PKCE verifier) for the refresh token.

    A refusal (a used or expired code, a wrong verifier) is a `ConnectorError` with Google's
    own reason; a grant missing a scope the product needs is one too, naming the scope.
    """
    client_id, client_secret = _client(settings)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": client_id,
        "client_secret": client_secret,
        "code_verifier": verifier,
    }
    try:
        response = httpx.post(settings.google_token_uri, data=form, timeout=_TIMEOUT)
    except httpx.HTTPError as error:
        raise ConnectorError("google", f"the token endpoint did not answer ({error})") from None
    body = _json_object(response)
    if response.status_code != 200:
        reason = body.get("error_description") or body.get("error") or response.reason_phrase
        raise ConnectorError(
            "google",
            f"the code exchange was refused ({body.get('error', 'error')}: {reason}); "
            "start again from the consent screen",
            status=response.status_code,
        )
    refresh_token = body.get("refresh_token")
    if not refresh_token:
        raise ConnectorError(
            "google",
            "Google returned no refresh token; remove the app's access at "
            "myaccount.google.com/permissions and connect again",
        )
    granted = tuple(str(body.get("scope", "")).split())
    missing = [scope for scope in GOOGLE_SCOPES if scope not in granted]
    if missing:
        raise ConnectorError(
            "google",
            f"the operator did not grant {', '.join(missing)}; connect again and leave every "
            "box on the consent screen ticked",
        )
    return GoogleGrant(refresh_token=str(refresh_token), scopes=granted)


def _json_object(response: httpx.Response) -> dict[str, Any]:
    """The response's JSON object, or {} when it is not one (an HTML error page, a proxy's)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def connected_mailbox(settings: Settings, refresh_token: str) -> str:
    """The address of the mailbox a new refresh token acts for (Gmail's getProfile).

    Also proves the token works before it is stored.
    """
    credentials = oauth_credentials(
        *_client(settings), refresh_token, token_uri=settings.google_token_uri
    )
    endpoint = None
    if settings.google_api_url is not None:
        endpoint = sandbox_endpoint(settings.google_api_url, "gmail", "v1")
    service = build_google_service("gmail", "v1", credentials=credentials, api_endpoint=endpoint)
    operator = EmailAddress(email=settings.operator_email)
    return GmailClient(service, operator=operator).get_profile().email_address
