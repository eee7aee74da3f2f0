"""JSON request bodies nested too deeply: 422 before any route reads them.

The standard library's parser, which FastAPI uses, raises RecursionError near 1,000 levels,
and the response serializer gives up past 255: a thread whose metadata nested 300 levels
was stored, and every read of it failed after. pydantic-core's parser stops at about
`MAX_DEPTH` levels, so each JSON body is read once by it (in Rust, a few milliseconds a
megabyte) before the route sees it; a body it refuses for another reason (its syntax, its
encoding) goes on to FastAPI, whose errors say where.
"""

from __future__ import annotations

from pydantic_core import from_json
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sales_agent.server.errors import invalid_json

__all__ = ["MAX_DEPTH", "JsonDepthMiddleware"]

MAX_DEPTH = 200
"""Levels of nesting a JSON body may have (pydantic-core's parser's recursion limit)."""
_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _is_json(scope: Scope) -> bool:
    # FastAPI reads a body as JSON when it says so, or says nothing.
    content_type = Headers(scope=scope).get("content-type")
    if content_type is None:
        return True
    media = content_type.partition(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _too_deep(body: bytes) -> bool:
    try:
        from_json(body)
    except ValueError as error:
        return "recursion limit" in str(error)
    return False


class JsonDepthMiddleware:
    """Refuses a JSON body nested deeper than `MAX_DEPTH` with the 422 of any invalid JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the body, check it, and hand the same messages on to the app."""
        if scope["type"] != "http" or scope["method"] not in _WITH_BODY or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = bytearray()
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        if body and _too_deep(bytes(body)):
            reason = f"the body is nested more than {MAX_DEPTH} levels deep"
            await invalid_json(reason)(scope, receive, send)
            return
        buffered = iter(messages)

        async def replay() -> Message:
            return next(buffered, None) or await receive()

        await self.app(scope, replay, send)
