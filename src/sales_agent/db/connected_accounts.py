"""The `connected_accounts` and `oauth_requests` tables (migration 0012).

Tokens and PKCE verifiers arrive here already encrypted (`secret_box`); this module never
sees a plaintext secret.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal

from psycopg import Connection
from psycopg.rows import DictRow
from pydantic import BaseModel, ConfigDict

__all__ = [
    "OAUTH_REQUEST_SECONDS",
    "ConnectedAccount",
    "OAuthRequest",
    "Provider",
    "delete_account",
    "list_accounts",
    "load_ciphertext",
    "replace_ciphertexts",
    "save_account",
    "save_request",
    "take_request",
]

Provider = Literal["google", "hubspot"]
OAUTH_REQUEST_SECONDS = 600
"""A consent request must come back within ten minutes, like Google's own codes."""

_SAVE_ACCOUNT = """
INSERT INTO connected_accounts
    (provider, account_email, secret_ciphertext, scopes, connected_at, connected_by)
VALUES (%(provider)s, %(account_email)s, %(ciphertext)s, %(scopes)s, now(), %(actor)s)
ON CONFLICT (provider) DO UPDATE SET
    account_email = EXCLUDED.account_email, secret_ciphertext = EXCLUDED.secret_ciphertext,
    scopes = EXCLUDED.scopes, connected_at = EXCLUDED.connected_at,
    connected_by = EXCLUDED.connected_by
RETURNING provider, account_email, scopes, connected_at, connected_by
"""
_LIST_ACCOUNTS = """
SELECT provider, account_email, scopes, connected_at, connected_by
FROM connected_accounts ORDER BY provider
"""
_LOAD_CIPHERTEXT = "SELECT secret_ciphertext FROM connected_accounts WHERE provider = %(provider)s"
_DELETE_ACCOUNT = """
DELETE FROM connected_accounts WHERE provider = %(provider)s
RETURNING provider, account_email, scopes, connected_at, connected_by
"""
_LOCK_CIPHERTEXTS = (
    "SELECT provider, secret_ciphertext FROM connected_accounts ORDER BY provider FOR UPDATE"
)
_UPDATE_CIPHERTEXT = """
UPDATE connected_accounts SET secret_ciphertext = %(ciphertext)s WHERE provider = %(provider)s
"""
# Expired requests are dropped whenever a new one is made: the table stays a handful of rows.
_PURGE_REQUESTS = "DELETE FROM oauth_requests WHERE expires_at < now()"
_SAVE_REQUEST = """
INSERT INTO oauth_requests
    (state, provider, verifier_ciphertext, redirect_uri, requested_by, expires_at)
VALUES (%(state)s, %(provider)s, %(verifier)s, %(redirect_uri)s, %(actor)s,
        now() + make_interval(secs => %(seconds)s))
"""
# DELETE ... RETURNING: a state is taken once, so a replayed callback finds nothing.
_TAKE_REQUEST = """
DELETE FROM oauth_requests WHERE state = %(state)s AND provider = %(provider)s
RETURNING verifier_ciphertext, redirect_uri, requested_by, expires_at < now() AS expired
"""


class ConnectedAccount(BaseModel):
    """A connected account as shown to an admin: never its token."""

    model_config = ConfigDict(frozen=True)

    provider: Provider
    account_email: str | None
    """The mailbox the Google token acts for (None for a HubSpot private-app token)."""
    scopes: list[str]
    connected_at: datetime
    connected_by: str
    """The admin key's name, or the CLI's actor."""


class OAuthRequest(BaseModel):
    """A consent request taken back by its callback."""

    model_config = ConfigDict(frozen=True)

    verifier_ciphertext: str
    redirect_uri: str
    requested_by: str
    expired: bool


def save_account(
    conn: Connection[DictRow],
    *,
    provider: Provider,
    account_email: str | None,
    ciphertext: str,
    scopes: list[str],
    actor: str,
) -> ConnectedAccount:
    """Store (or replace) the provider's account with its encrypted token."""
    row = conn.execute(
        _SAVE_ACCOUNT,
        {
            "provider": provider,
            "account_email": account_email,
            "ciphertext": ciphertext,
            "scopes": scopes,
            "actor": actor,
        },
    ).fetchone()
    assert row is not None
    return ConnectedAccount.model_validate(row)


def list_accounts(conn: Connection[DictRow]) -> list[ConnectedAccount]:
    """Every connected account, without tokens."""
    return [ConnectedAccount.model_validate(row) for row in conn.execute(_LIST_ACCOUNTS)]


def load_ciphertext(conn: Connection[DictRow], provider: Provider) -> str | None:
    """The provider's encrypted token, or None when no account is connected."""
    row = conn.execute(_LOAD_CIPHERTEXT, {"provider": provider}).fetchone()
    return None if row is None else str(row["secret_ciphertext"])


def delete_account(conn: Connection[DictRow], provider: Provider) -> ConnectedAccount | None:
    """Forget the provider's account; the removed account, or None when there was none."""
    row = conn.execute(_DELETE_ACCOUNT, {"provider": provider}).fetchone()
    return None if row is None else ConnectedAccount.model_validate(row)


def replace_ciphertexts(conn: Connection[DictRow], rewrite: Callable[[str], str]) -> int:
    """Re-encrypt every stored token with `rewrite`, rows locked, in one transaction.

    Returns how many tokens were rewritten.
    """
    with conn.transaction():
        rows = conn.execute(_LOCK_CIPHERTEXTS).fetchall()
        for row in rows:
            conn.execute(
                _UPDATE_CIPHERTEXT,
                {"provider": row["provider"], "ciphertext": rewrite(row["secret_ciphertext"])},
            )
    return len(rows)


def save_request(
    conn: Connection[DictRow],
    *,
    state: str,
    provider: Provider,
    verifier_ciphertext: str,
    redirect_uri: str,
    actor: str,
) -> None:
    """Hold a consent request until its callback (at most `OAUTH_REQUEST_SECONDS`)."""
    conn.execute(_PURGE_REQUESTS)
    conn.execute(
        _SAVE_REQUEST,
        {
            "state": state,
            "provider": provider,
            "verifier": verifier_ciphertext,
            "redirect_uri": redirect_uri,
            "actor": actor,
            "seconds": OAUTH_REQUEST_SECONDS,
        },
    )


def take_request(
    conn: Connection[DictRow], *, state: str, provider: Provider
) -> OAuthRequest | None:
    """Remove and return the request `state` names; None when there is none (unknown or used)."""
    row = conn.execute(_TAKE_REQUEST, {"state": state, "provider": provider}).fetchone()
    return None if row is None else OAuthRequest.model_validate(row)
