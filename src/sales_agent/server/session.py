"""The web page's sign-in: `POST /api/session` with a key sets the session cookie.

The cookie is HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
it, which is what keeps cookie-authenticated writes safe from cross-site requests) and Secure
when the server is reached over https. `DELETE /api/session` signs out; `GET /api/session`
says who is signed in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sales_agent.policy.api_keys import find_by_prefix
from sales_agent.server.auth import SESSION_PATH, CurrentPrincipal, check_credential
from sales_agent.server.credentials import (
    SESSION_COOKIE,
    SESSION_SECONDS,
    Credential,
    Principal,
    session_cookie_value,
)
from sales_agent.server.errors import ApiError

__all__ = ["SessionInfo", "SignIn", "router"]

router = APIRouter(tags=["session"])


class SignIn(BaseModel):
    """POST /api/session: the key to sign in with."""

    key: str = Field(min_length=1, max_length=256, description="An API key (operator or admin).")


class SessionInfo(BaseModel):
    """Who is signed in, and until when (for a new session)."""

    name: str
    role: str
    prefix: str
    expires_at: datetime | None = None


def _secure(request: Request) -> bool:
    public_url: str = request.app.state.services.settings.public_url
    return request.url.scheme == "https" or public_url.startswith("https://")


def _info(principal: Principal, expires_at: datetime | None = None) -> SessionInfo:
    return SessionInfo(
        name=principal.name, role=principal.role, prefix=principal.prefix, expires_at=expires_at
    )


@router.post(SESSION_PATH, response_model=SessionInfo, responses={401: {}, 429: {}})
async def sign_in(body: SignIn, request: Request, response: Response) -> Any:
    """Check the key and set the session cookie (failures count toward the guessing limit)."""
    checked = await check_credential(
        request, Credential("key", body.key), request.app.state.rate_limits
    )
    if not isinstance(checked, Principal):
        return checked
    pool = request.app.state.services.pool

    def sign() -> str:
        with pool.connection() as conn:
            record = find_by_prefix(conn, checked.prefix)
        if record is None:  # revoked and deleted between the two reads
            raise ApiError(401, "invalid_credentials", "the API key was just removed")
        return session_cookie_value(record)

    value = await run_in_threadpool(sign)
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=SESSION_SECONDS,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return _info(checked, datetime.now(UTC) + timedelta(seconds=SESSION_SECONDS))


@router.delete(SESSION_PATH, status_code=204)
def sign_out(request: Request, response: Response) -> None:
    """Sign out: the browser drops the cookie."""
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request)
    )


@router.get(SESSION_PATH)
def who_am_i(principal: CurrentPrincipal) -> SessionInfo:
    """The signed-in key's name and role."""
    return _info(principal)
