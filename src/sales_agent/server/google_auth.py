"""Connecting the operator's Google account: `/auth/google/authorize` and its callback.

`GET /auth/google/authorize` (an admin key or an admin's session cookie) holds a new state
and PKCE verifier server-side and redirects to Google's consent screen asking for exactly
the product's scopes. Google sends the browser back to `GET /auth/google/callback` (open:
the single-use state is what proves the request), which exchanges the code and stores the
refresh token encrypted. A wrong, used or expired state is a 400 with its code, audited.
"""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse

from sales_agent.db.connected_accounts import ConnectedAccount
from sales_agent.errors import SalesAgentError
from sales_agent.policy.connected_accounts import (
    ConnectRefusedError,
    begin_google_connect,
    finish_google_connect,
)
from sales_agent.server.admin.deps import Actor, ConnDep, SettingsDep
from sales_agent.server.errors import ApiError

__all__ = ["AUTHORIZE_PATH", "CALLBACK_PATH", "router"]

AUTHORIZE_PATH = "/auth/google/authorize"
CALLBACK_PATH = "/auth/google/callback"

router = APIRouter(tags=["auth"])


@router.get(AUTHORIZE_PATH, status_code=302, response_class=RedirectResponse)
def authorize(conn: ConnDep, settings: SettingsDep, actor: Actor) -> RedirectResponse:
    """Redirect to Google's consent screen (scopes, state and PKCE S256 challenge)."""
    try:
        url = begin_google_connect(
            conn, settings, redirect_uri=settings.public_url + CALLBACK_PATH, actor=actor
        )
    except SalesAgentError as exc:  # no OAuth client or no encryption key configured
        raise ApiError(409, exc.code, exc.message) from None
    return RedirectResponse(url, status_code=302)


@router.get(CALLBACK_PATH)
def callback(
    conn: ConnDep,
    settings: SettingsDep,
    # Ours are url-safe base64; anything else is no state of ours (422, never a lookup).
    state: str = Query(default="", max_length=200, pattern=r"^[A-Za-z0-9_-]*$"),
    code: str | None = Query(default=None, max_length=2000),
    error: str | None = Query(default=None, max_length=200),
) -> ConnectedAccount:
    """Exchange the code for the refresh token and store it encrypted (never returned)."""
    try:
        return finish_google_connect(conn, settings, state=state, code=code, error=error)
    except ConnectRefusedError as exc:
        raise ApiError(400, exc.code, exc.message) from None
