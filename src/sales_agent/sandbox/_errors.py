"""Errors in each emulated service's own wire shape, chosen by the request path.

Stores raise the service-neutral `SandboxError`s below; the handlers render them (and
FastAPI's own 404 / validation errors) the way the real service would, so the real client
libraries raise their usual exceptions.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

__all__ = [
    "ConflictError",
    "InvalidRequestError",
    "NotFoundError",
    "PermissionDeniedError",
    "SandboxError",
    "error_response",
    "install_error_handlers",
]

_GOOGLE_PREFIXES = ("/gmail/", "/calendar/", "/drive/", "/batch/gmail/")
_HUBSPOT_PREFIXES = ("/crm/", "/form-integrations/", "/marketing/")

# (gRPC-style status, legacy `errors[].reason`) as Google APIs report them.
_GOOGLE_STATUS = {
    400: ("INVALID_ARGUMENT", "invalidArgument"),
    401: ("UNAUTHENTICATED", "authError"),
    403: ("PERMISSION_DENIED", "forbidden"),
    404: ("NOT_FOUND", "notFound"),
    429: ("RESOURCE_EXHAUSTED", "rateLimitExceeded"),
    503: ("UNAVAILABLE", "backendError"),
}
_HUBSPOT_CATEGORY = {
    400: "VALIDATION_ERROR",
    401: "INVALID_AUTHENTICATION",
    403: "MISSING_SCOPES",
    404: "OBJECT_NOT_FOUND",
    409: "CONFLICT",
    429: "RATE_LIMITS",
}


class SandboxError(Exception):
    """A request the emulated service refuses; `reason` overrides Google's default reason."""

    status = 500

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


class InvalidRequestError(SandboxError):
    """The request body or parameters are not acceptable (HTTP 400)."""

    status = 400


class PermissionDeniedError(SandboxError):
    """The caller may not act on this resource (HTTP 403)."""

    status = 403


class NotFoundError(SandboxError):
    """The addressed resource does not exist (HTTP 404)."""

    status = 404


class ConflictError(SandboxError):
    """The request clashes with an existing resource, such as a duplicate email (HTTP 409)."""

    status = 409


def _google_body(status: int, message: str, reason: str | None) -> dict[str, Any]:
    grpc_status, default_reason = _GOOGLE_STATUS.get(status, ("INTERNAL", "backendError"))
    return {
        "error": {
            "code": status,
            "message": message,
            "errors": [
                {"message": message, "domain": "global", "reason": reason or default_reason}
            ],
            "status": grpc_status,
        }
    }


def _hubspot_body(status: int, message: str) -> dict[str, Any]:
    return {
        "status": "error",
        "message": message,
        "correlationId": str(uuid.uuid4()),
        "category": _HUBSPOT_CATEGORY.get(status, "INTERNAL_ERROR"),
    }


def error_response(
    path: str,
    status: int,
    message: str,
    *,
    reason: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Build an error response shaped like the service that owns `path`."""
    body: dict[str, Any]
    if path.startswith(_GOOGLE_PREFIXES):
        body = _google_body(status, message, reason)
    elif path.startswith(_HUBSPOT_PREFIXES):
        body = _hubspot_body(status, message)
    else:
        body = {"code": reason or "error", "message": message}
    return JSONResponse(body, status_code=status, headers=headers)


async def _sandbox_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SandboxError)
    return error_response(request.url.path, exc.status, exc.message, reason=exc.reason)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    # An unsupported method on a known path is, for the client, an unknown route.
    status = 404 if exc.status_code == 405 else exc.status_code
    message = f"No such route: {request.method} {request.url.path}" if status == 404 else exc.detail
    return error_response(request.url.path, status, str(message))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
    )
    return error_response(request.url.path, 400, f"Invalid request: {problems}")


def install_error_handlers(app: FastAPI) -> None:
    """Render every refusal in the owning service's error shape, never as a bare 500."""
    app.add_exception_handler(SandboxError, _sandbox_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
