"""Google's OAuth token endpoint, so real credentials objects work against the sandbox.

`POST /token` takes Google's form-encoded grants: `authorization_code` (a code from the
consent stand-in in `_oauth_consent`, PKCE checked), `refresh_token` (the operator's OAuth
client; the sandbox knows `SANDBOX_REFRESH_TOKEN` and the ones its codes issued) and the JWT
bearer grant a service account signs (the signature is not checked: the sandbox has no key
registry). The Google
routes accept requests without credentials (the sandbox default) or with an access token
issued here; any other bearer token gets Google's 401, which makes google-auth refresh.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import parse_qs

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse

# The same prefixes decide the error shape; one list keeps the two in step.
from sales_agent.sandbox._errors import _GOOGLE_PREFIXES, error_response
from sales_agent.sandbox._oauth_consent import AuthorizationCodes, Redeemed
from sales_agent.sandbox._oauth_consent import router as consent_router

__all__ = ["SANDBOX_REFRESH_TOKEN", "OAuthTokens", "install_oauth", "router"]

SANDBOX_REFRESH_TOKEN = "sandbox-refresh-token"  # a fixture, not a secret
_JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
_EXPIRES_IN = 3599

router = APIRouter()


@dataclass
class OAuthTokens:
    """Refresh tokens the sandbox honours, the access tokens and codes it has issued."""

    refresh_tokens: set[str] = field(default_factory=lambda: {SANDBOX_REFRESH_TOKEN})
    issued: set[str] = field(default_factory=set)
    codes: AuthorizationCodes = field(default_factory=AuthorizationCodes)

    def issue(self) -> str:
        """Mint a new access token."""
        token = f"ya29.sandbox-{secrets.token_hex(16)}"
        self.issued.add(token)
        return token

    def issue_refresh_token(self) -> str:
        """Mint a refresh token that the refresh grant will honour."""
        token = f"1//sandbox-{secrets.token_hex(16)}"
        self.refresh_tokens.add(token)
        return token


def _oauth_error(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def _jwt_claims(assertion: str) -> dict[str, object] | None:
    """The claims of a compact JWT, unverified; None when it is not one."""
    parts = assertion.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        return None
    return claims if isinstance(claims, dict) else None


@router.post("/token")
async def token(request: Request) -> JSONResponse:
    """oauth2.googleapis.com/token: exchange a code, a refresh token or a signed JWT."""
    form = {key: values[0] for key, values in parse_qs((await request.body()).decode()).items()}
    tokens = cast(OAuthTokens, request.app.state.oauth)
    grant = form.get("grant_type")
    body: dict[str, object] = {}
    if grant == "authorization_code":
        redeemed = tokens.codes.redeem(form)
        if not isinstance(redeemed, Redeemed):
            return redeemed
        body["scope"] = redeemed.scope
        if redeemed.offline:
            body["refresh_token"] = tokens.issue_refresh_token()
    elif grant == "refresh_token":
        if not form.get("client_id"):
            return _oauth_error("invalid_request", "Could not determine client ID from request.")
        if "refresh_token" not in form:
            return _oauth_error("invalid_request", "Missing required parameter: refresh_token")
        if form["refresh_token"] not in tokens.refresh_tokens:
            return _oauth_error("invalid_grant", "Token has been expired or revoked.")
    elif grant == _JWT_BEARER:
        if _jwt_claims(form.get("assertion", "")) is None:
            return _oauth_error("invalid_grant", "Invalid JWT Signature.")
    else:
        return _oauth_error("unsupported_grant_type", f"Invalid grant_type: {grant or ''}")
    body.update(access_token=tokens.issue(), expires_in=_EXPIRES_IN, token_type="Bearer")
    if "scope" in form:
        body["scope"] = form["scope"]
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


async def _check_bearer(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Refuse a Google call carrying an access token the sandbox never issued (HTTP 401)."""
    path = request.url.path
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    issued = cast(OAuthTokens, request.app.state.oauth).issued
    if (
        path.startswith(_GOOGLE_PREFIXES)
        and scheme.lower() == "bearer"
        and credential not in issued
    ):
        message = "Request had invalid authentication credentials."
        headers = {"WWW-Authenticate": 'Bearer realm="sandbox"'}
        return error_response(path, 401, message, headers=headers)
    return await call_next(request)


def install_oauth(app: FastAPI) -> None:
    """Serve the consent stand-in and the token endpoint; check bearer tokens on Google routes."""
    app.state.oauth = OAuthTokens()
    app.include_router(router)
    app.include_router(consent_router)
    app.middleware("http")(_check_bearer)
