"""Where the operator's tokens come from: a connected account first, else the environment.

Google's refresh token is looked up at each refresh of the access token (about hourly), not
once at start: an account connected through `/auth/google/callback` or `sales-agent auth
google` reaches every running server and worker without a restart. HubSpot's private-app
token is read when the clients are built (a process start).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from google.auth.credentials import Credentials
from google.auth.exceptions import RefreshError
from google.auth.transport import Request
from psycopg import Connection
from psycopg.rows import DictRow
from psycopg_pool import ConnectionPool

from sales_agent.config import Settings
from sales_agent.connectors.google_api import oauth_credentials
from sales_agent.db.connected_accounts import Provider, load_ciphertext
from sales_agent.secret_box import secret_box

__all__ = ["NOT_CONNECTED", "AccountTokens", "ConnectedGoogleCredentials"]

NOT_CONNECTED = (
    "no Google account is connected: an admin opens /auth/google/authorize on the server "
    "(or runs `sales-agent auth google`), or set SALES_AGENT_GOOGLE_REFRESH_TOKEN"
)


@dataclass(frozen=True)
class AccountTokens:
    """Resolves each provider's token: the connected account (decrypted), else the setting.

    Without a pool (a command that opened no database) only the settings are read.
    """

    settings: Settings
    pool: ConnectionPool[Connection[DictRow]] | None = None

    def google_refresh_token(self) -> str | None:
        """The connected Google account's refresh token, else SALES_AGENT_GOOGLE_REFRESH_TOKEN."""
        configured = self.settings.google_refresh_token
        return self._stored("google") or (configured.get_secret_value() if configured else None)

    def hubspot_token(self) -> str | None:
        """The stored HubSpot private-app token, else SALES_AGENT_HUBSPOT_ACCESS_TOKEN."""
        configured = self.settings.hubspot_access_token
        return self._stored("hubspot") or (configured.get_secret_value() if configured else None)

    def _stored(self, provider: Provider) -> str | None:
        if self.pool is None:
            return None
        with self.pool.connection() as conn:
            ciphertext = load_ciphertext(conn, provider)
        return None if ciphertext is None else secret_box(self.settings).decrypt(ciphertext)


class ConnectedGoogleCredentials(Credentials):
    """The operator's OAuth credentials, with the refresh token resolved at each refresh.

    A new token (the account connected again) replaces the old one at the next refresh; no
    token at all fails the call with `NOT_CONNECTED`, which says how to connect.
    """

    def __init__(self, settings: Settings, refresh_token: Callable[[], str | None]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        assert settings.google_client_id and settings.google_client_secret
        self._client_id = settings.google_client_id
        self._client_secret = settings.google_client_secret.get_secret_value()
        self._token_uri = settings.google_token_uri
        self._refresh_token = refresh_token
        self._inner: Credentials | None = None
        self._inner_refresh_token: str | None = None

    def refresh(self, request: Request) -> None:
        """Refresh the access token with the refresh token in force now."""
        refresh_token = self._refresh_token()
        if refresh_token is None:
            raise RefreshError(NOT_CONNECTED)  # type: ignore[no-untyped-call]
        if self._inner is None or refresh_token != self._inner_refresh_token:
            self._inner = oauth_credentials(
                self._client_id, self._client_secret, refresh_token, token_uri=self._token_uri
            )
            self._inner_refresh_token = refresh_token
        self._inner.refresh(request)  # type: ignore[no-untyped-call]
        self.token = self._inner.token
        self.expiry = self._inner.expiry
