"""Who may call what: one app-level middleware in front of every route, keyed by path.

- Open (no key): `/health`, `/ready`, `/info` (the version, which Studio reads before it
  asks for a key), the signed webhooks `/webhooks/hubspot` and
  `/webhooks/gmail` (they verify their own signatures), the one-click `/unsubscribe`
  (it acts only on a link we signed), the web page's sign-in and sign-out
  (`POST`/`DELETE /api/session`) and the page itself with its assets (`GET /inbox...`; the
  page holds no data, it reads it from `/api/...` with the session cookie).
- Admin role: everything under `/api/admin/`, except reading the mode (`GET
  /api/admin/mode`), which operators may do; the spec's audit paths (`/api/audit`,
  `/api/audit/export`); and `GET /auth/google/authorize`, which starts connecting the
  operator's Google account. Its callback, `/auth/google/callback`, is open: the single-use
  state it must bring back is its proof.
- Operator or admin: everything else (thread API, inbox API, `/metrics`, `/docs`, ...).

A key comes as `Authorization: Bearer <key>`, as `x-api-key` (what langgraph-sdk sends), or
as the web page's session cookie. 401 when it is missing, wrong or revoked, 403 for an
operator on an admin route, 429 with `Retry-After` when a rate limit is spent; all with
`{"code", "message"}`. Routes read the caller with the `CurrentPrincipal` dependency.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from sales_agent.policy.api_keys import Role
from sales_agent.server.credentials import (
    Credential,
    Principal,
    authenticate,
    credential_prefix,
    presented_credential,
)
from sales_agent.server.errors import ApiError
from sales_agent.server.rate_limit import RateLimits, Verdict

__all__ = [
    "ADMIN_PATHS",
    "ADMIN_PREFIX",
    "OPEN_PATHS",
    "AuthMiddleware",
    "CurrentPrincipal",
    "check_credential",
    "client_address",
    "current_principal",
    "install_auth",
    "refusal",
    "required_role",
]

ADMIN_PREFIX = "/api/admin/"
SESSION_PATH = "/api/session"
INBOX_PATH = "/inbox"
OPEN_PATHS = frozenset(
    {
        "/health",
        "/ready",
        "/info",
        "/webhooks/hubspot",
        "/webhooks/gmail",
        "/auth/google/callback",
        "/unsubscribe",
    }
)
ADMIN_PATHS = frozenset({"/auth/google/authorize", "/api/audit", "/api/audit/export"})
"""Admin-only paths outside /api/admin/: connecting Google, the spec's audit aliases."""
_READS = frozenset({"GET", "HEAD"})
_RANK: dict[Role, int] = {"operator": 1, "admin": 2}


def required_role(method: str, path: str) -> Role | None:
    """The least role a request needs, or None for an open route."""
    if path in OPEN_PATHS:
        return None
    if path == SESSION_PATH and method in ("POST", "DELETE"):
        return None
    if method in _READS and (path == INBOX_PATH or path.startswith(INBOX_PATH + "/")):
        return None
    if path.rstrip("/") in ADMIN_PATHS:
        return "admin"
    if path.startswith(ADMIN_PREFIX) or path == ADMIN_PREFIX.rstrip("/"):
        readable = path.rstrip("/") == ADMIN_PREFIX + "mode" and method in _READS
        return "operator" if readable else "admin"
    return "operator"


def client_address(connection: HTTPConnection) -> str:
    """The caller's address (uvicorn resolves X-Forwarded-For from trusted proxies first)."""
    return connection.client.host if connection.client else "unknown"


def refusal(status: int, code: str, message: str, verdict: Verdict | None = None) -> JSONResponse:
    """A JSON error response; a 429 carries `Retry-After` and a 401 a Bearer challenge."""
    headers = {}
    if verdict is not None:
        headers["Retry-After"] = str(verdict.retry_after)
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


def _rate_limited(verdict: Verdict) -> JSONResponse:
    return refusal(
        429,
        "rate_limited",
        f"too many requests ({verdict.budget.replace('_', ' ')}): "
        f"try again in {verdict.retry_after} s",
        verdict,
    )


class AuthMiddleware:
    """Checks every HTTP request against `required_role` before any route sees it."""

    def __init__(self, app: ASGIApp, *, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Let the request through with `state.principal` set, or answer the refusal."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        needed = required_role(method, path)
        if needed is None:
            await self.app(scope, receive, send)
            return
        outcome = await self._check(HTTPConnection(scope), method, path, needed)
        if isinstance(outcome, JSONResponse):
            await outcome(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = outcome
        await self.app(scope, receive, send)

    async def _check(
        self, connection: HTTPConnection, method: str, path: str, needed: Role
    ) -> Principal | JSONResponse:
        credential = presented_credential(connection)
        if credential is None:
            return refusal(
                401,
                "missing_credentials",
                "this route needs an API key: send `Authorization: Bearer <key>` or "
                "`x-api-key: <key>` (`sales-agent admin create-key` makes one)",
            )
        principal = await check_credential(connection, credential, self.limits)
        if not isinstance(principal, Principal):
            return principal
        if _RANK[principal.role] < _RANK[needed]:
            return refusal(
                403, "forbidden", f"this route needs an {needed} key; yours is an operator key"
            )
        verdict = self.limits.spend(method, path, principal.key_id)
        return principal if verdict is None else _rate_limited(verdict)


async def check_credential(
    connection: HTTPConnection, credential: Credential, limits: RateLimits
) -> Principal | JSONResponse:
    """Who `credential` proves, or the refusal (429 while the address guesses that key, else 401).

    Shared by the middleware and the sign-in route, so both count failures in one budget.
    """
    client = client_address(connection)
    prefix = credential_prefix(credential)
    blocked = limits.guessing_blocked(client, prefix)
    if blocked is not None:
        return _rate_limited(blocked)
    pool = connection.app.state.services.pool

    def lookup() -> Principal | None:
        with pool.connection() as conn:
            return authenticate(conn, credential)

    principal = await run_in_threadpool(lookup)
    if principal is None:
        limits.record_failure(client, prefix)
        what = "session" if credential.kind == "cookie" else "API key"
        return refusal(
            401,
            "invalid_credentials",
            f"the {what} is unknown, expired or revoked: sign in again or ask an admin for a key",
        )
    return principal


def current_principal(request: Request) -> Principal:
    """The caller the middleware verified (a route that is open has none: 401)."""
    principal = getattr(request.state, "principal", None)
    if not isinstance(principal, Principal):
        raise ApiError(401, "missing_credentials", "this route needs an API key")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def install_auth(app: FastAPI) -> None:
    """Put `AuthMiddleware` in front of every route, with the app's rate limits."""
    limits = RateLimits(admin_prefix=ADMIN_PREFIX)
    app.state.rate_limits = limits  # the sign-in route counts failures in the same budget
    app.add_middleware(AuthMiddleware, limits=limits)
