"""Connecting the operator's accounts: Google by OAuth consent, HubSpot by private-app token.

One code path for the server (`/auth/google/authorize` and `/callback`, the admin API) and
the CLI (`sales-agent auth ...`). Tokens are stored encrypted (`secret_box`); connecting,
disconnecting, rotating the key and every refused callback are audited.
"""

from __future__ import annotations

from typing import NoReturn

from psycopg import Connection
from psycopg.rows import DictRow

from sales_agent.config import Settings
from sales_agent.connectors.google_consent import (
    connected_mailbox,
    consent_url,
    exchange_code,
    new_pkce,
    new_state,
)
from sales_agent.db.connected_accounts import (
    ConnectedAccount,
    Provider,
    delete_account,
    replace_ciphertexts,
    save_account,
    save_request,
    take_request,
)
from sales_agent.errors import ConnectorError, SalesAgentError
from sales_agent.policy.audit import record_change, record_event
from sales_agent.secret_box import secret_box

__all__ = [
    "ConnectRefusedError",
    "begin_google_connect",
    "disconnect_account",
    "finish_google_connect",
    "rotate_secret_key",
    "store_hubspot_token",
]

_START_AGAIN = "start again from /auth/google/authorize (or `sales-agent auth google`)"


class ConnectRefusedError(SalesAgentError):
    """A consent callback that cannot connect the account; the code says why."""

    code = "connect_refused"


def begin_google_connect(
    conn: Connection[DictRow], settings: Settings, *, redirect_uri: str, actor: str
) -> str:
    """Hold a new state and PKCE verifier server-side; the consent URL to send the admin to."""
    box = secret_box(settings)  # no key, no point asking Google: the token could not be kept
    state, pkce = new_state(), new_pkce()
    url = consent_url(settings, redirect_uri=redirect_uri, state=state, challenge=pkce.challenge)
    save_request(
        conn,
        state=state,
        provider="google",
        verifier_ciphertext=box.encrypt(pkce.verifier),
        redirect_uri=redirect_uri,
        actor=actor,
    )
    return url


def _refuse(conn: Connection[DictRow], code: str, message: str, actor: str) -> NoReturn:
    record_event(
        conn,
        actor=actor,
        action="account_connect_refused",
        reason=message,
        metadata={"provider": "google", "code": code},
    )
    raise ConnectRefusedError(message, code=code)


def finish_google_connect(
    conn: Connection[DictRow],
    settings: Settings,
    *,
    state: str,
    code: str | None,
    error: str | None = None,
) -> ConnectedAccount:
    """Check the callback's state, exchange its code, store the refresh token encrypted.

    The state is taken (deleted) first, so it works once: a replayed callback is refused as
    an unknown state. Refusals are audited and raised as `ConnectRefusedError`.
    """
    request = take_request(conn, state=state, provider="google")
    if request is None:
        _refuse(conn, "invalid_state", f"unknown or already used state; {_START_AGAIN}", "oauth")
    actor = request.requested_by
    if request.expired:
        _refuse(conn, "state_expired", f"the consent request expired; {_START_AGAIN}", actor)
    if error is not None or not code:
        answer = error or "no code"
        _refuse(conn, "consent_denied", f"Google answered {answer}; {_START_AGAIN}", actor)
    box = secret_box(settings)
    try:
        grant = exchange_code(
            settings,
            code=code,
            redirect_uri=request.redirect_uri,
            verifier=box.decrypt(request.verifier_ciphertext),
        )
        mailbox = connected_mailbox(settings, grant.refresh_token)
    except ConnectorError as exc:
        _refuse(conn, "code_exchange_failed", exc.message, actor)
    if mailbox.lower() != settings.operator_email.lower():
        _refuse(
            conn,
            "account_mismatch",
            f"the consent was given for another mailbox than the operator's "
            f"({settings.operator_email}); sign in as the operator, or set "
            "SALES_AGENT_OPERATOR_EMAIL, and connect again",
            actor,
        )
    with conn.transaction():
        account = save_account(
            conn,
            provider="google",
            account_email=mailbox,
            ciphertext=box.encrypt(grant.refresh_token),
            scopes=list(grant.scopes),
            actor=actor,
        )
        record_change(
            conn,
            actor=actor,
            action="account_connected",
            reason="Google account connected by OAuth consent",
            metadata={"provider": "google", "scopes": list(grant.scopes)},
        )
    return account


def store_hubspot_token(
    conn: Connection[DictRow], settings: Settings, *, token: str, actor: str, reason: str
) -> ConnectedAccount:
    """Store the HubSpot private-app token encrypted; used before the environment's."""
    ciphertext = secret_box(settings).encrypt(token)
    with conn.transaction():
        account = save_account(
            conn,
            provider="hubspot",
            account_email=None,
            ciphertext=ciphertext,
            scopes=[],
            actor=actor,
        )
        record_change(
            conn,
            actor=actor,
            action="account_connected",
            reason=reason,
            metadata={"provider": "hubspot"},
        )
    return account


def disconnect_account(
    conn: Connection[DictRow], *, provider: Provider, actor: str, reason: str
) -> ConnectedAccount | None:
    """Forget the provider's stored token (the environment's, if any, applies again)."""
    with conn.transaction():
        removed = delete_account(conn, provider)
        record_change(
            conn,
            actor=actor,
            action="account_disconnected",
            reason=reason,
            metadata={"provider": provider, "was_connected": removed is not None},
        )
    return removed


def rotate_secret_key(conn: Connection[DictRow], settings: Settings, *, actor: str) -> int:
    """Re-encrypt every stored token under the newest key in SALES_AGENT_SECRET_KEY.

    Run it after putting a new key first in the list; afterwards the old key can go.
    Returns how many tokens were re-encrypted.
    """
    box = secret_box(settings)
    with conn.transaction():
        count = replace_ciphertexts(conn, box.rotate)
        record_change(
            conn,
            actor=actor,
            action="secret_key_rotated",
            reason="stored tokens re-encrypted under the newest key",
            metadata={"tokens": count},
        )
    return count
