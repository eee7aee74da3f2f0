"""API errors as JSON with a stable `code`, a human `message` and, for bad input, `details`.

Every failure answers this shape, the unexpected ones too: `UnhandledErrorMiddleware` turns
an exception no handler answered into 500 `internal_error` (503 `database_unavailable` when
the database is away), logs it with its traceback and the trace id, and never puts the
exception's text in the body (it may hold a connection string, a query, a secret).
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.utils import is_body_allowed_for_status_code
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sales_agent.policy.audit import AuditError
from sales_agent.trace import current_trace_id

__all__ = [
    "DATABASE_UNAVAILABLE",
    "DATABASE_UNAVAILABLE_ERRORS",
    "ApiError",
    "UnhandledErrorMiddleware",
    "database_unavailable",
    "install_error_handlers",
    "invalid_json",
    "validation_details",
]

logger = logging.getLogger(__name__)

# Codes for the HTTP errors Starlette and FastAPI raise themselves (unknown route, wrong
# method, the body limit); any other status answers `http_error`.
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}
# FastAPI's 400 for a body `json.loads` could not read for another reason than its syntax
# (invalid UTF-8, nesting past the recursion limit): bad JSON all the same, so 422.
_BODY_PARSE_DETAIL = "There was an error parsing the body"

DATABASE_UNAVAILABLE = "database unavailable"
"""What a caller is told when the database is away; the server log has the reason."""
DATABASE_UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    psycopg.OperationalError,  # refused or lost connections, pool timeouts, a closed pool
    psycopg.InterfaceError,  # a connection that is already closed
)


class ApiError(Exception):
    """An error the API answers with `status` and `{"code", "message"}`."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def database_unavailable(error: BaseException, where: str) -> ApiError:
    """The 503 for a database failure; its text goes to the log only, never to the caller.

    The driver's message can name the host, the user and the database, and the routes that
    answer it (`/ready`, the webhooks) need no key.
    """
    logger.warning("%s: %s: %s", where, DATABASE_UNAVAILABLE, error)
    return ApiError(503, "database_unavailable", f"{DATABASE_UNAVAILABLE}: try again shortly")


def _json_error(error: ApiError) -> JSONResponse:
    return JSONResponse(
        status_code=error.status, content={"code": error.code, "message": error.message}
    )


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return _json_error(exc)


async def _audit_refused(request: Request, exc: Exception) -> JSONResponse:
    # The audit log refuses a change with no actor or no reason: the caller's input, a 422,
    # wherever the route forgot to check it first (the routes' own rules refuse it earlier).
    assert isinstance(exc, AuditError)
    return _json_error(ApiError(422, exc.code, exc.message))


def invalid_json(reason: str) -> JSONResponse:
    """The 422 of a body that is not JSON for `reason` (as a JSON syntax error answers)."""
    details = [{"loc": ["body"], "msg": f"JSON decode error: {reason}", "type": "json_invalid"}]
    return _invalid_request(details)


def _unreadable_body(cause: BaseException | None) -> JSONResponse:
    if isinstance(cause, UnicodeDecodeError):
        return invalid_json("the body is not UTF-8 text")
    if isinstance(cause, RecursionError):
        return invalid_json("the body is nested too deeply")
    return invalid_json("the body cannot be read as JSON")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 400 and exc.detail == _BODY_PARSE_DETAIL:
        return _unreadable_body(exc.__cause__)
    if not is_body_allowed_for_status_code(exc.status_code):
        return Response(status_code=exc.status_code, headers=exc.headers)
    return JSONResponse(
        status_code=exc.status_code,
        content={"code": _HTTP_CODES.get(exc.status_code, "http_error"), "message": exc.detail},
        headers=exc.headers,
    )


async def _data_error(request: Request, exc: Exception) -> JSONResponse:
    # Postgres refuses a value a request carried that validation let through (a NUL
    # character in any text, a number out of range): the caller's input, not a server fault.
    assert isinstance(exc, psycopg.DataError)
    reason = exc.diag.message_primary or str(exc).splitlines()[0]
    logger.warning("refused a value the database cannot store: %s", reason)
    return JSONResponse(
        status_code=422,
        content={
            "code": "invalid_value",
            "message": f"a value in the request cannot be stored: {reason}",
        },
    )


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    return _json_error(database_unavailable(exc, f"{request.method} {request.url.path}"))


def validation_details(errors: Any) -> list[dict[str, Any]]:
    """Where and why input failed: `loc`, `msg` and `type` of each error, never the input.

    The input is left out because it may be a secret (a key, a token) the caller mistyped.
    A JSON syntax error's `msg` says what the parser expected.
    """
    details = []
    for error in errors:
        message = str(error.get("msg", ""))
        reason = (error.get("ctx") or {}).get("error")
        if error.get("type") == "json_invalid" and reason:
            message = f"{message}: {reason}"
        details.append(
            {"loc": list(error.get("loc", ())), "msg": message, "type": error.get("type", "")}
        )
    return details


def _invalid_request(details: list[dict[str, Any]]) -> JSONResponse:
    syntax = any(d["type"] == "json_invalid" for d in details)
    message = (
        "the request body is not valid JSON"
        if syntax
        else "the request body or parameters are invalid"
    )
    return JSONResponse(
        status_code=422,
        content={"code": "invalid_request", "message": message, "details": details},
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return _invalid_request(validation_details(exc.errors()))


def _unexpected(scope: Scope, exc: Exception) -> JSONResponse:
    where = f"{scope.get('method', '')} {scope.get('path', '')}"
    if isinstance(exc, DATABASE_UNAVAILABLE_ERRORS):
        return _json_error(database_unavailable(exc, where))
    trace_id = current_trace_id()
    logger.error("unhandled error on %s", where, exc_info=exc)
    return JSONResponse(
        status_code=500,
        content={
            "code": "internal_error",
            "message": "the server failed unexpectedly; its log has the details"
            + (f" under trace id {trace_id}" if trace_id else ""),
        },
    )


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    return _unexpected(request.scope, exc)


class UnhandledErrorMiddleware:
    """Answers an exception nothing else handled as a JSON error (see the module docstring).

    It sits inside the tracing middleware, so the log line carries the request's trace id
    and the response its `X-Request-ID`; a response that has started cannot be replaced,
    so that exception goes on to the server, which logs it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app; on an exception before the response started, answer JSON instead."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception as exc:
            if started:
                raise
            response: Response
            if isinstance(exc, HTTPException):
                response = await _http_error(Request(scope), exc)
            else:
                response = _unexpected(scope, exc)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Register the JSON error shapes on `app` (the middleware is added by the app)."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(AuditError, _audit_refused)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(psycopg.DataError, _data_error)
    for error in DATABASE_UNAVAILABLE_ERRORS:
        app.add_exception_handler(error, _database_error)
    # A last resort outside every middleware (Starlette's server-error middleware).
    app.add_exception_handler(Exception, _unhandled)
