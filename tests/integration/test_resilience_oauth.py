"""Credentials against the sandbox's OAuth token endpoint: refresh tokens, service accounts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.credentials import Credentials

from sales_agent.config import Settings
from sales_agent.connectors import EmailAddress, GmailClient, RetryPolicy, build_connectors
from sales_agent.connectors.google_api import (
    GOOGLE_READONLY_SCOPES,
    build_google_service,
    oauth_credentials,
    sandbox_endpoint,
    service_account_credentials,
)
from sales_agent.errors import ConnectorError
from sales_agent.sandbox import (
    SANDBOX_REFRESH_TOKEN,
    SEED_CALENDAR_ID,
    SEED_LEAD_THREAD_ID,
    SandboxServer,
)

FAST = RetryPolicy(attempts=2, initial_delay=0.001, max_delay=0.002)


@pytest.fixture(autouse=True)
def _fresh(sandbox: SandboxServer) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/reset").raise_for_status()


def _gmail(sandbox: SandboxServer, credentials: Credentials) -> GmailClient:
    service = build_google_service(
        "gmail",
        "v1",
        credentials=credentials,
        api_endpoint=sandbox_endpoint(sandbox.url, "gmail", "v1"),
    )
    return GmailClient(service, operator=EmailAddress(email=SEED_CALENDAR_ID), retry=FAST)


def _user_credentials(sandbox: SandboxServer, refresh_token: str) -> Credentials:
    return oauth_credentials(
        "sandbox-client.apps.googleusercontent.com",
        "sandbox-secret",
        refresh_token,
        token_uri=f"{sandbox.url}/token",
    )


def _count_requests(sandbox: SandboxServer, route: str) -> None:
    """A delay-only fault: the sandbox counts the requests it matches."""
    httpx.post(f"{sandbox.url}/_sandbox/faults", json={"route": route, "latency_ms": 1})


def _matched(sandbox: SandboxServer) -> list[int]:
    return [f["matched"] for f in httpx.get(f"{sandbox.url}/_sandbox/faults").json()["faults"]]


def test_refresh_token_credentials_refresh_then_call(sandbox: SandboxServer) -> None:
    credentials = _user_credentials(sandbox, SANDBOX_REFRESH_TOKEN)
    assert credentials.token is None
    _count_requests(sandbox, "^/token$")

    thread = _gmail(sandbox, credentials).get_thread(SEED_LEAD_THREAD_ID)

    assert thread.id == SEED_LEAD_THREAD_ID
    assert credentials.token is not None and credentials.token.startswith("ya29.sandbox-")
    assert credentials.valid and credentials.expiry is not None
    assert _matched(sandbox) == [1]


def test_a_rejected_access_token_is_refreshed_once(sandbox: SandboxServer) -> None:
    credentials = _user_credentials(sandbox, SANDBOX_REFRESH_TOKEN)
    gmail = _gmail(sandbox, credentials)
    gmail.get_thread(SEED_LEAD_THREAD_ID)
    credentials.token = "ya29.revoked"  # still "valid" by its expiry

    gmail.get_thread(SEED_LEAD_THREAD_ID)  # 401, refresh, retried by google-auth

    assert credentials.token != "ya29.revoked"


def test_unknown_refresh_token_is_a_clear_error_not_retried(sandbox: SandboxServer) -> None:
    credentials = _user_credentials(sandbox, "revoked-refresh-token")
    _count_requests(sandbox, "^/token$")

    with pytest.raises(ConnectorError) as error:
        _gmail(sandbox, credentials).get_thread(SEED_LEAD_THREAD_ID)

    assert (error.value.service, error.value.status) == ("gmail", 401)
    assert "invalid_grant" in error.value.message
    assert "re-authorise the operator's Google account" in error.value.message
    assert _matched(sandbox) == [1]


def test_token_endpoint_speaks_googles_protocol(sandbox: SandboxServer) -> None:
    url = f"{sandbox.url}/token"
    granted = httpx.post(
        url,
        data={
            "grant_type": "refresh_token",
            "refresh_token": SANDBOX_REFRESH_TOKEN,
            "client_id": "id",
            "client_secret": "secret",
            "scope": "https://www.googleapis.com/auth/gmail.modify",
        },
    )
    assert granted.status_code == 200
    body = granted.json()
    assert set(body) == {"access_token", "expires_in", "token_type", "scope"}
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3599)

    def refused(data: dict[str, str]) -> Any:
        response = httpx.post(url, data=data)
        assert response.status_code == 400
        return response.json()

    assert refused({"grant_type": "refresh_token", "refresh_token": "x", "client_id": "id"}) == {
        "error": "invalid_grant",
        "error_description": "Token has been expired or revoked.",
    }
    assert refused({"grant_type": "password"})["error"] == "unsupported_grant_type"
    assert refused({"grant_type": "refresh_token", "refresh_token": "x"})["error"] == (
        "invalid_request"
    )


def test_google_routes_check_bearer_tokens_but_allow_none(sandbox: SandboxServer) -> None:
    url = f"{sandbox.url}/gmail/v1/users/me/threads/{SEED_LEAD_THREAD_ID}"
    assert httpx.get(url).status_code == 200  # the sandbox default: no credentials

    forged = httpx.get(url, headers={"Authorization": "Bearer ya29.forged"})
    assert forged.status_code == 401
    assert forged.json()["error"]["status"] == "UNAUTHENTICATED"

    token = httpx.post(
        f"{sandbox.url}/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": SANDBOX_REFRESH_TOKEN,
            "client_id": "i",
        },
    ).json()["access_token"]
    assert httpx.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200


def _service_account_key(path: Path, token_uri: str) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "sandbox",
        "private_key_id": "sandbox-key",
        "private_key": pem,
        "client_email": "indexer@sandbox.iam.gserviceaccount.com",
        "client_id": "1234567890",
        "token_uri": token_uri,
    }
    path.write_text(json.dumps(info))
    return path


def test_service_account_reads_as_the_operator(sandbox: SandboxServer, tmp_path: Path) -> None:
    key_file = _service_account_key(tmp_path / "key.json", f"{sandbox.url}/token")

    credentials = service_account_credentials(key_file, SEED_CALENDAR_ID)
    thread = _gmail(sandbox, credentials).get_thread(SEED_LEAD_THREAD_ID)

    assert thread.id == SEED_LEAD_THREAD_ID
    assert credentials.token is not None and credentials.token.startswith("ya29.sandbox-")
    assert getattr(credentials, "_subject", None) == SEED_CALENDAR_ID
    assert tuple(getattr(credentials, "scopes", ())) == GOOGLE_READONLY_SCOPES


def test_missing_service_account_key_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConnectorError, match="SALES_AGENT_GOOGLE_SERVICE_ACCOUNT_FILE"):
        service_account_credentials(tmp_path / "missing.json", SEED_CALENDAR_ID)


def test_connectors_read_drive_with_the_configured_service_account(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,
        google_client_id="id",
        google_client_secret="secret",
        google_refresh_token="refresh",
        google_service_account_file=tmp_path / "missing.json",
        hubspot_access_token=None,
    )

    with pytest.raises(ConnectorError, match=r"missing\.json"):
        build_connectors(settings, "http://127.0.0.1:9")  # HubSpot: a sandbox never called
