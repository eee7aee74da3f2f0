"""The HubSpot webhook signature v3 helper: valid, tampered, wrong secret, stale."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from sales_agent.triggers.hubspot_signature import (
    WebhookSignatureError,
    sign_v3,
    verify_signature_v3,
)

SECRET = "app-secret-1234"
URI = "https://agent.example/hooks/hubspot?portal=42"
BODY = '[{"objectId":1001,"propertyValue":"Siobhán Ní Bhriain"}]'.encode()
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
STAMP = int(NOW.timestamp() * 1000)


def _verify(**changes: object) -> None:
    request: dict[str, object] = {
        "app_secret": SECRET,
        "method": "POST",
        "uri": URI,
        "body": BODY,
        "signature": sign_v3(app_secret=SECRET, method="POST", uri=URI, body=BODY, timestamp=STAMP),
        "timestamp": str(STAMP),
        "now": NOW,
    }
    verify_signature_v3(**{**request, **changes})


def test_signature_is_hubspots_documented_hmac() -> None:
    source = f"POST{URI}{BODY.decode()}{STAMP}".encode()
    expected = base64.b64encode(hmac.new(SECRET.encode(), source, hashlib.sha256).digest()).decode()

    assert (
        sign_v3(app_secret=SECRET, method="post", uri=URI, body=BODY, timestamp=STAMP) == expected
    )


def test_valid_request_passes() -> None:
    _verify()
    _verify(now=NOW + timedelta(minutes=4, seconds=59))


def test_encoded_uri_characters_are_signed_decoded() -> None:
    encoded = "https://agent.example/hooks/hubspot%3Fportal%3D42"
    signature = sign_v3(app_secret=SECRET, method="POST", uri=encoded, body=BODY, timestamp=STAMP)
    decoded = sign_v3(
        app_secret=SECRET,
        method="POST",
        uri="https://agent.example/hooks/hubspot?portal%3D42",
        body=BODY,
        timestamp=STAMP,
    )
    assert signature == decoded


@pytest.mark.parametrize(
    "changes",
    [
        {"body": BODY.replace(b"1001", b"1002")},
        {"uri": URI.replace("42", "43")},
        {"method": "PUT"},
        {"app_secret": "another-secret"},
        {"signature": "bm90IGEgc2lnbmF0dXJl"},
    ],
    ids=["tampered-body", "other-uri", "other-method", "wrong-secret", "garbage"],
)
def test_altered_requests_fail(changes: dict[str, object]) -> None:
    with pytest.raises(WebhookSignatureError, match="does not match"):
        _verify(**changes)


@pytest.mark.parametrize("skew", [timedelta(minutes=5, seconds=1), -timedelta(minutes=6)])
def test_timestamps_outside_the_window_fail(skew: timedelta) -> None:
    with pytest.raises(WebhookSignatureError, match="window"):
        _verify(now=NOW + skew)


def test_replayed_timestamp_fails_even_when_resigned() -> None:
    old = STAMP - 10 * 60 * 1000
    signature = sign_v3(app_secret=SECRET, method="POST", uri=URI, body=BODY, timestamp=old)
    with pytest.raises(WebhookSignatureError, match="window"):
        _verify(signature=signature, timestamp=old)


def test_garbled_timestamp_and_body_fail() -> None:
    with pytest.raises(WebhookSignatureError, match="not a number"):
        _verify(timestamp="yesterday")
    with pytest.raises(WebhookSignatureError, match="UTF-8"):
        _verify(body=b"\xff\xfe")
    assert WebhookSignatureError.code == "hubspot_webhook_signature"
