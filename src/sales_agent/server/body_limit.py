"""A request body size limit: 413 `payload_too_large` before a route reads too much.

A declared `Content-Length` over the limit is refused before anything else runs (no auth
lookup, no body read). A body without one (chunked) is counted as it is read; the read that
crosses the limit raises `PayloadTooLarge`, which the error handlers answer with 413 (FastAPI
passes HTTP exceptions from a body read through, where it turns other failures into 400).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sales_agent.server.auth import refusal

__all__ = ["BodyLimitMiddleware", "PayloadTooLarge"]


class PayloadTooLarge(HTTPException):
    """A request body over the limit (`server/errors.py` answers `payload_too_large`)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"the request body is over the {limit}-byte limit "
            "(the server's SALES_AGENT_MAX_BODY_BYTES)",
        )


class BodyLimitMiddleware:
    """Refuses bodies over `max_bytes`, declared or streamed."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 413 at once for a declared oversize body; else count what the app reads."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise PayloadTooLarge(self.max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except PayloadTooLarge:
            # Only reached when the read happened outside the app's error handlers (a
            # middleware reading the body); a started response cannot be replaced.
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = PayloadTooLarge(self.max_bytes)
        await refusal(413, "payload_too_large", error.detail)(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    # A malformed value is the server's (uvicorn's) to refuse; the count still applies.
    # ASCII digits only: `str.isdigit` accepts "²", which `int` refuses; and past 18 digits
    # (more than any limit, fewer than `int`'s 4,300) the length is simply too large.
    if value is None or not value.isascii() or not value.isdigit():
        return None
    return int(value[:19])
