"""API errors as JSON with a stable `code`, a human `message` and, for bad input, `details`."""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.utils import is_body_allowed_for_status_code
from starlette.exceptions import HTTPException

__all__ = ["ApiError", "install_error_handlers", "validation_details"]

logger = logging.getLogger(__name__)

# Codes for the HTTP errors Starlette and FastAPI raise themselves (unknown route, wrong
# method, the body limit); any other status answers `http_error`.
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}


class ApiError(Exception):
    """An error the API answers with `status` and `{"code", "message"}`."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(status_code=exc.status, content={"code": exc.code, "message": exc.message})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
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


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = validation_details(exc.errors())
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


def install_error_handlers(app: FastAPI) -> None:
    """Register the JSON error shapes on `app`."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(psycopg.DataError, _data_error)
