"""Unsubscribe link tokens: signed, expiring, and refused when altered, cut or forged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from sales_agent.config import Settings
from sales_agent.errors import ConfigError
from sales_agent.policy.unsubscribe import (
    UnsubscribeLinkError,
    read_token,
    signing_keys,
    unsubscribe_token,
    unsubscribe_url,
)

NOW = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)
SETTINGS = Settings(secret_key=SecretStr("k" * 32), public_url="https://agent.example")


def token() -> str:
    return unsubscribe_token(
        SETTINGS, email="Priya@Example.com", thread_id="gmail:t1", version=2, now=NOW
    )


def test_a_token_names_the_address_thread_and_version_until_it_expires() -> None:
    found = read_token(SETTINGS, token(), now=NOW + timedelta(days=89))
    assert (found.email, found.thread_id, found.version) == ("priya@example.com", "gmail:t1", 2)
    with pytest.raises(UnsubscribeLinkError, match="expired"):
        read_token(SETTINGS, token(), now=NOW + timedelta(days=90))
    assert unsubscribe_url(SETTINGS, "a.b") == "https://agent.example/unsubscribe?token=a.b"


@pytest.mark.parametrize(
    "bad",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # altered signature
        lambda t: "x" + t,  # altered payload
        lambda t: t.split(".")[0],  # cut
        lambda t: "é." + t.split(".")[1],  # not ASCII
        lambda t: "",
    ],
)
def test_an_altered_or_cut_token_is_refused(bad: object) -> None:
    with pytest.raises(UnsubscribeLinkError):
        read_token(SETTINGS, bad(token()), now=NOW)  # type: ignore[operator]


def test_another_key_cannot_forge_a_link() -> None:
    other = Settings(secret_key=SecretStr("o" * 32))
    with pytest.raises(UnsubscribeLinkError):
        read_token(
            SETTINGS,
            unsubscribe_token(other, email="a@b.example", thread_id="t", version=1, now=NOW),
            now=NOW,
        )


def test_real_gmail_needs_the_key_the_sandbox_does_not() -> None:
    real = Settings(
        google_client_id="id",
        google_client_secret=SecretStr("s"),
        google_refresh_token=SecretStr("r"),
    )
    with pytest.raises(ConfigError, match="SALES_AGENT_SECRET_KEY"):
        signing_keys(real)
    assert signing_keys(Settings()) != signing_keys(SETTINGS)


def test_a_rotated_key_keeps_links_already_sent_working() -> None:
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    old = Settings(secret_key=SecretStr("old-key"))
    token = unsubscribe_token(old, email="a@x.example", thread_id="t", version=1, now=now)
    rotated = Settings(secret_key=SecretStr("new-key, old-key"))
    assert read_token(rotated, token, now=now).email == "a@x.example"
    fresh = unsubscribe_token(rotated, email="a@x.example", thread_id="t", version=1, now=now)
    with pytest.raises(UnsubscribeLinkError):
        read_token(old, fresh, now=now)  # signed with the newest key, which `old` lacks
