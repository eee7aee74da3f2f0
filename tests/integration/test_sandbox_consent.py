"""The sandbox's consent stand-in and authorization-code grant speak Google's protocol."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from sales_agent.config import Settings, load_settings
from sales_agent.connectors.google_consent import exchange_code, new_pkce
from sales_agent.errors import ConnectorError
from sales_agent.sandbox import SandboxServer

CLIENT = "sandbox-client.apps.googleusercontent.com"
REDIRECT = "http://127.0.0.1:9/callback"
SCOPE = "https://www.googleapis.com/auth/gmail.readonly"


def _code(sandbox: SandboxServer, challenge: str | None, **extra: str) -> dict[str, str]:
    query = {
        "response_type": "code",
        "client_id": CLIENT,
        "redirect_uri": REDIRECT,
        "scope": SCOPE,
        "state": "xyz",
        "access_type": "offline",
        **extra,
    }
    if challenge is not None:
        query |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    consent = httpx.get(f"{sandbox.url}/o/oauth2/auth", params=query)
    assert consent.status_code == 302, consent.text
    location = consent.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _redeem(sandbox: SandboxServer, code: str, verifier: str | None) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": CLIENT,
        "client_secret": "secret",
        "redirect_uri": REDIRECT,
    }
    if verifier is not None:
        form["code_verifier"] = verifier
    return httpx.post(f"{sandbox.url}/token", data=form)


def test_code_with_the_right_verifier_buys_a_working_refresh_token(
    sandbox: SandboxServer,
) -> None:
    pkce = new_pkce()
    back = _code(sandbox, pkce.challenge)
    assert (back["state"], back["scope"]) == ("xyz", SCOPE)

    granted = _redeem(sandbox, back["code"], pkce.verifier)

    assert granted.status_code == 200, granted.text
    body = granted.json()
    assert body["scope"] == SCOPE and body["token_type"] == "Bearer"
    refreshed = httpx.post(
        f"{sandbox.url}/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": body["refresh_token"],
            "client_id": CLIENT,
        },
    )
    assert refreshed.status_code == 200, refreshed.text


def test_wrong_or_missing_verifier_is_refused(sandbox: SandboxServer) -> None:
    pkce, other = new_pkce(), new_pkce()
    wrong = _redeem(sandbox, _code(sandbox, pkce.challenge)["code"], other.verifier)
    missing = _redeem(sandbox, _code(sandbox, pkce.challenge)["code"], None)
    assert (wrong.status_code, wrong.json()["error_description"]) == (400, "Invalid code verifier.")
    assert (missing.status_code, missing.json()["error_description"]) == (
        400,
        "Missing code verifier.",
    )


def test_a_code_redeems_once(sandbox: SandboxServer) -> None:
    pkce = new_pkce()
    code = _code(sandbox, pkce.challenge)["code"]
    assert _redeem(sandbox, code, pkce.verifier).status_code == 200
    replayed = _redeem(sandbox, code, pkce.verifier)
    assert (replayed.status_code, replayed.json()["error"]) == (400, "invalid_grant")
    unknown = _redeem(sandbox, "4/never-issued", pkce.verifier)
    assert unknown.json()["error_description"] == "Malformed auth code."


def test_online_access_gets_no_refresh_token(sandbox: SandboxServer) -> None:
    pkce = new_pkce()
    code = _code(sandbox, pkce.challenge, access_type="online")["code"]
    body = _redeem(sandbox, code, pkce.verifier).json()
    assert "access_token" in body and "refresh_token" not in body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"redirect_uri": "urn:ietf:wg:oauth:2.0:oob"}, "redirect_uri_mismatch"),
        ({"code_challenge": "abc", "code_challenge_method": "plain"}, "must be S256"),
        ({"scope": ""}, "scope"),
    ],
)
def test_a_bad_consent_request_is_an_error_page(
    sandbox: SandboxServer, change: dict[str, str], message: str
) -> None:
    query = {"response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT}
    query |= {"scope": SCOPE, **change}
    refused = httpx.get(f"{sandbox.url}/o/oauth2/auth", params=query)
    assert refused.status_code == 400 and message in refused.text


def _settings_on(sandbox: SandboxServer) -> Settings:
    return load_settings(
        google_client_id=CLIENT,
        google_client_secret="secret",
        google_token_uri=f"{sandbox.url}/token",
        _env_file=None,
    )


def test_a_grant_without_every_scope_is_refused_naming_the_missing_ones(
    sandbox: SandboxServer,
) -> None:
    pkce = new_pkce()
    code = _code(sandbox, pkce.challenge)["code"]  # gmail.readonly only

    with pytest.raises(ConnectorError) as caught:
        exchange_code(
            _settings_on(sandbox), code=code, redirect_uri=REDIRECT, verifier=pkce.verifier
        )

    assert "did not grant" in caught.value.message
    assert "auth/gmail.compose" in caught.value.message
    assert "auth/gmail.readonly" not in caught.value.message


def test_a_grant_without_a_refresh_token_says_how_to_get_one(sandbox: SandboxServer) -> None:
    pkce = new_pkce()
    code = _code(sandbox, pkce.challenge, access_type="online")["code"]

    with pytest.raises(ConnectorError, match="no refresh token"):
        exchange_code(
            _settings_on(sandbox), code=code, redirect_uri=REDIRECT, verifier=pkce.verifier
        )
