"""The sandbox's stand-in for Google's consent screen, and the authorization-code grant.

`GET /o/oauth2/auth` checks the request as Google would (response type, client, redirect
URI, scopes, PKCE method) and, having no person to ask, consents at once: it redirects to
the redirect URI with a single-use code and the caller's `state`. `POST /token` with
`grant_type=authorization_code` then redeems the code (see `redeem`): the same client and
redirect URI, and the PKCE verifier whose S256 hash is the challenge the code was issued for.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

__all__ = ["AuthorizationCodes", "Redeemed", "router"]

router = APIRouter()


@dataclass(frozen=True)
class _Issued:
    client_id: str
    redirect_uri: str
    scope: str
    challenge: str | None
    offline: bool


@dataclass(frozen=True)
class Redeemed:
    """A code redeemed: its scopes and whether a refresh token goes with the access token."""

    scope: str
    offline: bool


@dataclass
class AuthorizationCodes:
    """Codes issued by the consent stand-in; each redeems once."""

    issued: dict[str, _Issued] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def issue(self, grant: _Issued) -> str:
        """A new code for `grant`."""
        code = f"4/sandbox-{secrets.token_urlsafe(24)}"
        self.issued[code] = grant
        return code

    def redeem(self, form: dict[str, str]) -> Redeemed | JSONResponse:
        """Check a token request's code, client, redirect URI and verifier (Google's errors)."""
        code = form.get("code", "")
        if code in self.used:
            return _error("invalid_grant", "Bad Request")
        grant = self.issued.pop(code, None)
        if grant is None:
            return _error("invalid_grant", "Malformed auth code.")
        self.used.add(code)  # spent even when the rest fails, as at Google
        if form.get("client_id") != grant.client_id:
            return _error("invalid_client", "The OAuth client was not found.", 401)
        if form.get("redirect_uri") != grant.redirect_uri:
            return _error("redirect_uri_mismatch", "Bad Request")
        if grant.challenge is not None:
            verifier = form.get("code_verifier")
            if not verifier:
                return _error("invalid_grant", "Missing code verifier.")
            if _s256(verifier) != grant.challenge:
                return _error("invalid_grant", "Invalid code verifier.")
        return Redeemed(scope=grant.scope, offline=grant.offline)


def _error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _refused(message: str) -> PlainTextResponse:
    # Google shows an error page (no redirect) when the client or redirect URI is wrong.
    return PlainTextResponse(f"Error 400: {message}", status_code=400)


@router.get("/o/oauth2/auth", response_model=None)
def authorize(request: Request) -> Response:
    """accounts.google.com/o/oauth2/auth: consent at once and redirect back with a code."""
    query = request.query_params
    redirect_uri = query.get("redirect_uri", "")
    if not query.get("client_id"):
        return _refused("invalid_request: Missing required parameter: client_id")
    if not redirect_uri.startswith(("http://", "https://")):
        return _refused("redirect_uri_mismatch")
    if query.get("response_type") != "code":
        return _refused("unsupported_response_type")
    if not query.get("scope", "").strip():
        return _refused("invalid_request: Missing required parameter: scope")
    challenge = query.get("code_challenge")
    if challenge is not None and query.get("code_challenge_method") != "S256":
        return _refused("invalid_request: code_challenge_method must be S256")
    codes = cast(AuthorizationCodes, request.app.state.oauth.codes)
    code = codes.issue(
        _Issued(
            client_id=query["client_id"],
            redirect_uri=redirect_uri,
            scope=query["scope"],
            challenge=challenge,
            offline=query.get("access_type") == "offline",
        )
    )
    back = {"code": code, "scope": query["scope"]}
    if "state" in query:
        back["state"] = query["state"]
    separator = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{separator}{urlencode(back)}", status_code=302)
