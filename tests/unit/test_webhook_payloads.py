"""Webhook payloads and push verification, with no network: parsing, token, OIDC token."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from google.auth import crypt, jwt

from sales_agent.config import Settings, load_settings
from sales_agent.triggers.hubspot_events import HUBSPOT_EVENTS
from sales_agent.triggers.pubsub import (
    PubSubPush,
    PushVerificationError,
    decode_notification,
    verify_push,
)

AUDIENCE = "https://agent.example.com/webhooks/gmail"
ACCOUNT = "gmail-push@project.iam.gserviceaccount.com"


def _settings(**values: Any) -> Settings:
    return load_settings(_env_file=None, **values)


def _push(data: str) -> PubSubPush:
    return PubSubPush.model_validate(
        {"message": {"data": data, "messageId": "136969346945"}, "subscription": "projects/p/s"}
    )


def _b64(value: object) -> str:
    return base64.b64encode(json.dumps(value).encode()).decode()


def test_a_gmail_notification_decodes_from_the_push() -> None:
    push = _push(_b64({"emailAddress": "dana@example.com", "historyId": 9876543210}))
    notification = decode_notification(push)
    assert (notification.email_address, notification.history_id) == ("dana@example.com", 9876543210)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("%%%not base64%%%", "not base64"),
        (base64.b64encode(b"not json").decode(), "not base64 of JSON"),
        (_b64({"emailAddress": "dana@example.com"}), "historyId"),
        (_b64({"emailAddress": "dana@example.com", "historyId": "soon"}), "historyId"),
    ],
)
def test_a_malformed_notification_says_what_is_wrong(data: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        decode_notification(_push(data))


def test_hubspot_events_are_classified_as_forms_contacts_or_noise() -> None:
    common = {"objectId": 1001, "occurredAt": 1700000000000, "subscriptionId": 7, "portalId": 62}
    creation = {**common, "subscriptionType": "contact.creation"}
    change = {**common, "subscriptionType": "contact.propertyChange"}
    events = HUBSPOT_EVENTS.validate_python(
        [
            {**creation, "eventId": 1, "changeSource": "CRM"},
            {**creation, "eventId": 2, "changeSource": "FORM"},
            {**creation, "eventId": 3, "changeSource": "IMPORT"},
            {**change, "eventId": 4, "propertyName": "num_conversion_events", "propertyValue": "2"},
            {**change, "eventId": 5, "propertyName": "phone"},
            {**common, "eventId": 6, "subscriptionType": "deal.creation"},
        ]
    )
    assert [e.is_new_contact for e in events] == [True, False, False, False, False, False]
    assert [e.is_form for e in events] == [False, True, False, True, False, False]


def test_a_hubspot_event_without_its_id_is_refused() -> None:
    with pytest.raises(ValueError, match="eventId"):
        HUBSPOT_EVENTS.validate_python([{"subscriptionType": "contact.creation", "objectId": 1}])


def test_push_is_refused_when_no_verification_is_configured() -> None:
    with pytest.raises(PushVerificationError, match="not configured"):
        verify_push(_settings(), token="anything", authorization=None)


def test_the_shared_token_must_match() -> None:
    settings = _settings(pubsub_verification_token="s3cret")
    verify_push(settings, token="s3cret", authorization=None)
    for wrong in (None, "", "s3cret2", "S3CRET"):
        with pytest.raises(PushVerificationError, match="token"):
            verify_push(settings, token=wrong, authorization=None)


# A real RS256 ID token, signed by a key whose certificate the fake transport serves in place
# of Google's: google-auth's own verifier checks signature, audience, issuer and expiry.
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_NAME = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-google")])
_CERT = (
    x509.CertificateBuilder()
    .subject_name(_NAME)
    .issuer_name(_NAME)
    .public_key(_KEY.public_key())
    .serial_number(1)
    .not_valid_before(datetime.now(UTC) - timedelta(days=1))
    .not_valid_after(datetime.now(UTC) + timedelta(days=1))
    .sign(_KEY, hashes.SHA256())
)
_SIGNER = crypt.RSASigner.from_string(  # type: ignore[no-untyped-call]
    _KEY.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ),
    key_id="test-key",
)


@dataclass
class _Response:
    status: int
    data: bytes
    headers: dict[str, str]


class _Certs:
    """A google-auth transport that serves our certificate wherever Google's are asked for."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, url: str, method: str = "GET", **_: Any) -> _Response:
        self.urls.append(url)
        pem = _CERT.public_bytes(serialization.Encoding.PEM).decode()
        return _Response(200, json.dumps({"test-key": pem}).encode(), {})


def _token(**claims: Any) -> str:
    now = int(time.time())
    payload = {
        "iss": "https://accounts.google.com",
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 600,
        "email": ACCOUNT,
        "email_verified": True,
        **claims,
    }
    token: bytes = jwt.encode(_SIGNER, payload)  # type: ignore[no-untyped-call]
    return token.decode()


def _verify(authorization: str | None, **settings: Any) -> None:
    values = {"pubsub_audience": AUDIENCE, "pubsub_service_account": ACCOUNT, **settings}
    verify_push(
        _settings(**values),
        token=None,
        authorization=authorization,
        request=_Certs(),  # type: ignore[arg-type]  # the transport's call shape, duck-typed
    )


def test_a_google_signed_token_for_our_audience_and_account_passes() -> None:
    certs = _Certs()
    verify_push(
        _settings(pubsub_audience=AUDIENCE, pubsub_service_account=ACCOUNT),
        token=None,
        authorization=f"Bearer {_token()}",
        request=certs,  # type: ignore[arg-type]
    )
    assert certs.urls == ["https://www.googleapis.com/oauth2/v1/certs"]


# Claims, not tokens: a token signed at collection time would expire before a long suite
# reaches the test.
@pytest.mark.parametrize(
    ("header", "claims", "problem"),
    [
        (None, None, "Bearer"),
        ("Basic abc", None, "Bearer"),
        ("Bearer not-a-jwt", None, "refused"),
        (None, {"aud": "https://elsewhere.example.com"}, "refused"),
        (None, {"iss": "https://evil.example.com"}, "refused"),
        (None, {"exp": -3600}, "refused"),
        (None, {"email": "someone@else.example"}, "service account"),
        (None, {"email_verified": False}, "service account"),
    ],
)
def test_a_bad_oidc_token_is_refused(
    header: str | None, claims: dict[str, Any] | None, problem: str
) -> None:
    if claims is not None:
        if "exp" in claims:
            claims = {**claims, "exp": int(time.time()) + claims["exp"]}
        header = f"Bearer {_token(**claims)}"
    with pytest.raises(PushVerificationError, match=problem):
        _verify(header)


def test_token_and_jwt_together_both_must_hold() -> None:
    settings = _settings(
        pubsub_audience=AUDIENCE, pubsub_service_account=ACCOUNT, pubsub_verification_token="s3"
    )
    good = f"Bearer {_token()}"
    verify_push(settings, token="s3", authorization=good, request=_Certs())  # type: ignore[arg-type]
    with pytest.raises(PushVerificationError, match="token"):
        verify_push(settings, token="no", authorization=good, request=_Certs())  # type: ignore[arg-type]
    with pytest.raises(PushVerificationError, match="Bearer"):
        verify_push(settings, token="s3", authorization=None, request=_Certs())  # type: ignore[arg-type]
