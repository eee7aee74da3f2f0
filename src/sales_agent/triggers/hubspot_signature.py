"""Verify that a webhook request comes from HubSpot: signature v3 and its timestamp window.

HubSpot signs `method + uri + body + timestamp` with HMAC-SHA256 under the app secret and
sends the base64 digest in `X-HubSpot-Signature-v3`, the timestamp (epoch milliseconds) in
`X-HubSpot-Request-Timestamp`. Requests older than five minutes are refused, so a captured
request cannot be replayed later.
"""

from __future__ import annotations

import hmac
import time
from datetime import datetime

from hubspot.utils.signature import Signature

from sales_agent.errors import SalesAgentError

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WebhookSignatureError",
    "sign_v3",
    "verify_signature_v3",
]

SIGNATURE_HEADER = "X-HubSpot-Signature-v3"
TIMESTAMP_HEADER = "X-HubSpot-Request-Timestamp"

# HubSpot signs the URI with these characters decoded (its "Validating requests" guide).
_DECODED = {
    "%3A": ":", "%2F": "/", "%3F": "?", "%40": "@", "%21": "!", "%24": "$", "%27": "'",
    "%28": "(", "%29": ")", "%2A": "*", "%2C": ",", "%3B": ";",
}  # fmt: skip


class WebhookSignatureError(SalesAgentError):
    """A webhook request failed verification; it must be rejected (HTTP 401)."""

    code = "hubspot_webhook_signature"


def _signed_uri(uri: str) -> str:
    for encoded, char in _DECODED.items():
        uri = uri.replace(encoded, char).replace(encoded.lower(), char)
    return uri


def sign_v3(*, app_secret: str, method: str, uri: str, body: bytes, timestamp: int | str) -> str:
    """The `X-HubSpot-Signature-v3` value HubSpot would send for this request."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WebhookSignatureError(
            "webhook body is not UTF-8, so HubSpot did not sign it"
        ) from error
    # The client library's own v3 implementation: HMAC-SHA256, then base64.
    digest = Signature.get_signature(
        app_secret,
        text,
        "v3",
        http_uri=_signed_uri(uri),
        http_method=method.upper(),
        timestamp=str(timestamp),
    )
    return str(digest)


def verify_signature_v3(
    *,
    app_secret: str,
    method: str,
    uri: str,
    body: bytes,
    signature: str,
    timestamp: int | str,
    now: datetime | None = None,
    max_age: float = 300,
) -> None:
    """Return if the request is HubSpot's and recent; raise `WebhookSignatureError` if not.

    `uri` is the full URL HubSpot called (scheme, host, path and query); `timestamp` is the
    `X-HubSpot-Request-Timestamp` header; `max_age` is in seconds, either side of `now`.
    """
    try:
        sent_ms = int(str(timestamp))
    except ValueError as error:
        raise WebhookSignatureError(f"{TIMESTAMP_HEADER} is not a number: {timestamp!r}") from error
    now_ms = (now.timestamp() if now is not None else time.time()) * 1000
    age = (now_ms - sent_ms) / 1000
    if abs(age) > max_age:
        raise WebhookSignatureError(
            f"webhook timestamp is {age:.0f} s from now, outside the {max_age:.0f} s window "
            "(a replayed request, or a server clock that needs syncing)"
        )
    expected = sign_v3(
        app_secret=app_secret, method=method, uri=uri, body=body, timestamp=timestamp
    )
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise WebhookSignatureError(
            f"{SIGNATURE_HEADER} does not match: the body or URL was altered, or the app "
            "secret is wrong (check SALES_AGENT_HUBSPOT_APP_SECRET)"
        )
