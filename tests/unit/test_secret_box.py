"""Tokens at rest: Fernet keys from SALES_AGENT_SECRET_KEY, rotation, the consent request."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.fernet import Fernet

from sales_agent.config import load_settings
from sales_agent.connectors.google_api import GOOGLE_SCOPES
from sales_agent.connectors.google_consent import consent_url, new_pkce
from sales_agent.errors import ConfigError
from sales_agent.secret_box import SecretBox, new_key, secret_box

TOKEN = "refresh-token-plaintext"


def test_a_token_is_stored_as_ciphertext_and_opens_again() -> None:
    box = SecretBox([new_key()])
    sealed = box.encrypt(TOKEN)
    assert TOKEN not in sealed
    assert box.decrypt(sealed) == TOKEN


def test_rotation_moves_tokens_to_the_newest_key() -> None:
    old, new = new_key(), new_key()
    sealed = SecretBox([old]).encrypt(TOKEN)
    both = SecretBox([new, old])  # newest first
    assert both.decrypt(sealed) == TOKEN  # the old key still opens it before the rotation

    rotated = both.rotate(sealed)

    assert SecretBox([new]).decrypt(rotated) == TOKEN
    with pytest.raises(ConfigError) as caught:
        SecretBox([old]).decrypt(rotated)
    assert caught.value.code == "secret_key_mismatch"


def test_settings_give_comma_separated_keys_newest_first() -> None:
    old, new = new_key(), new_key()
    sealed = Fernet(old.encode()).encrypt(TOKEN.encode()).decode()
    box = secret_box(load_settings(secret_key=f"{new}, {old}", _env_file=None))
    assert box.decrypt(sealed) == TOKEN
    assert Fernet(new.encode()).decrypt(box.encrypt(TOKEN).encode()).decode() == TOKEN


def test_missing_or_malformed_keys_say_how_to_make_one() -> None:
    with pytest.raises(ConfigError) as missing:
        secret_box(load_settings(secret_key=None, _env_file=None))
    with pytest.raises(ConfigError) as malformed:
        SecretBox(["not-a-fernet-key"])
    assert missing.value.code == "secret_key_missing"
    assert "sales-agent auth new-key" in missing.value.message
    assert "Fernet key" in malformed.value.message


def test_consent_url_asks_for_exactly_the_products_scopes_with_pkce() -> None:
    settings = load_settings(google_client_id="client-1", google_client_secret="s", _env_file=None)
    pkce = new_pkce()

    url = consent_url(
        settings, redirect_uri="https://x.example/cb", state="st", challenge=pkce.challenge
    )

    assert url.startswith("https://accounts.google.com/o/oauth2/auth?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert query["scope"].split() == list(GOOGLE_SCOPES)
    assert "https://www.googleapis.com/auth/gmail.modify" not in query["scope"]
    assert (query["code_challenge_method"], query["state"]) == ("S256", "st")
    assert (query["access_type"], query["prompt"]) == ("offline", "consent")
    digest = hashlib.sha256(pkce.verifier.encode()).digest()
    assert query["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert 43 <= len(pkce.verifier) <= 128


def test_refresh_token_is_optional_but_the_client_is_not() -> None:
    only_client = load_settings(google_client_id="c", google_client_secret="s", _env_file=None)
    assert only_client.uses_real_google and only_client.google_refresh_token is None
    with pytest.raises(ConfigError, match="google credentials are partial"):
        load_settings(google_refresh_token="r", _env_file=None)
