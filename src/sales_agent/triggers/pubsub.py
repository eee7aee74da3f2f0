"""Gmail push notifications through Pub/Sub: the envelope, its payload, who sent it.

A push subscription can prove itself two ways, per settings: a shared token the endpoint
URL carries (`?token=`), and an OIDC token in `Authorization: Bearer`, signed by Google,
whose audience is ours and which names the subscription's service account. When both are
configured, both must hold.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable, Mapping
from typing import Any

from google.auth.exceptions import GoogleAuthError, TransportError
from google.auth.transport import Request as GoogleRequest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sales_agent.config import Settings
from sales_agent.errors import ConnectorError, SalesAgentError

__all__ = [
    "GmailNotification",
    "PubSubPush",
    "PushVerificationError",
    "decode_notification",
    "verify_push",
]


MAX_MESSAGE_ID = 256
"""Longest Pub/Sub message id accepted (Google's are decimal strings of about 17 digits)."""


class PushVerificationError(SalesAgentError):
    """The push request did not prove it comes from our subscription (HTTP 401)."""

    code = "pubsub_unauthorized"


class PubSubMessage(BaseModel):
    """The Pub/Sub message a push carries; `data` is base64."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    data: str = Field(description="Base64 of the Gmail notification's JSON.")
    # Stored as the delivery's dedupe key: printable text only (Postgres refuses a NUL, and
    # a push refused later than here would be redelivered for days).
    message_id: str = Field(
        alias="messageId",
        min_length=1,
        max_length=MAX_MESSAGE_ID,
        pattern=r"^[^\x00-\x1f\x7f]+$",
        description="Unique per message (printable, at most 256 characters).",
    )
    publish_time: str | None = Field(default=None, alias="publishTime")
    attributes: dict[str, str] = Field(default_factory=dict)


class PubSubPush(BaseModel):
    """The body Pub/Sub posts to a push endpoint."""

    model_config = ConfigDict(extra="allow")

    message: PubSubMessage
    subscription: str | None = None


class GmailNotification(BaseModel):
    """What Gmail publishes: the mailbox and its history id after the change."""

    model_config = ConfigDict(populate_by_name=True)

    email_address: str = Field(alias="emailAddress")
    history_id: int = Field(alias="historyId", ge=1)


def decode_notification(push: PubSubPush) -> GmailNotification:
    """The Gmail notification inside a push; `ValueError` naming the problem if malformed."""
    try:
        raw = base64.b64decode(push.message.data, validate=True)
    except binascii.Error:
        try:  # Pub/Sub uses standard base64; accept the URL-safe alphabet too
            raw = base64.urlsafe_b64decode(push.message.data)
        except (binascii.Error, ValueError) as error:
            raise ValueError(f"message.data is not base64: {error}") from None
    # pydantic's JSON parser refuses invalid UTF-8 and deep nesting as errors (the standard
    # library's raises RecursionError on `[[[...]]]` a thousand deep).
    try:
        return GmailNotification.model_validate_json(raw)
    except ValidationError as error:
        syntax = [e for e in error.errors() if e["type"] == "json_invalid"]
        if syntax:
            reason = (syntax[0].get("ctx") or {}).get("error", syntax[0]["msg"])
            raise ValueError(f"message.data is not base64 of JSON: {reason}") from None
        fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise ValueError(f"message.data is not a Gmail notification ({fields})") from None


IdTokenVerifier = Callable[[str, GoogleRequest, str], Mapping[str, Any]]
"""`google.oauth2.id_token.verify_oauth2_token`'s shape: (token, request, audience) -> claims."""


def verify_push(
    settings: Settings,
    *,
    token: str | None,
    authorization: str | None,
    request: GoogleRequest | None = None,
    verifier: IdTokenVerifier | None = None,
) -> None:
    """Return if the push is from our subscription; raise `PushVerificationError` if not.

    `request` fetches Google's signing certificates (default: a `requests` transport);
    `verifier` checks an ID token (default: google-auth's, which requires Google's issuer).
    """
    expected = settings.pubsub_verification_token
    audience = settings.pubsub_audience
    if expected is None and audience is None:
        raise PushVerificationError(
            "Gmail push is not configured: set SALES_AGENT_PUBSUB_VERIFICATION_TOKEN "
            "and/or SALES_AGENT_PUBSUB_AUDIENCE"
        )
    if expected is not None and not hmac.compare_digest(
        (token or "").encode(), expected.get_secret_value().encode()
    ):
        raise PushVerificationError(
            "the push URL's ?token= is missing or wrong (it must equal "
            "SALES_AGENT_PUBSUB_VERIFICATION_TOKEN)"
        )
    if audience is not None:
        claims = _verified_claims(authorization, audience, request, verifier)
        account = settings.pubsub_service_account
        if account is not None and (
            str(claims.get("email", "")).lower() != account.lower()
            or claims.get("email_verified") is not True
        ):
            raise PushVerificationError(
                f"the push token names {claims.get('email')!r}, not the subscription's service "
                "account (SALES_AGENT_PUBSUB_SERVICE_ACCOUNT)"
            )


def _verified_claims(
    authorization: str | None,
    audience: str,
    request: GoogleRequest | None,
    verifier: IdTokenVerifier | None,
) -> Mapping[str, Any]:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise PushVerificationError(
            "Authorization: Bearer <OIDC token> is required (enable authentication on the "
            "push subscription)"
        )
    if verifier is None or request is None:
        from google.auth.transport.requests import Request as RequestsTransport
        from google.oauth2 import id_token

        verifier = verifier or id_token.verify_oauth2_token
        request = request or RequestsTransport()
    try:
        return verifier(token.strip(), request, audience)
    except TransportError as error:  # Google's certificates could not be fetched: retry later
        raise ConnectorError("google", f"could not fetch Google's signing keys: {error}") from error
    except (ValueError, GoogleAuthError) as error:  # a bad, expired or foreign token
        raise PushVerificationError(f"the push's OIDC token was refused: {error}") from error
