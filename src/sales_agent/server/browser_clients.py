"""What browser clients of the Agent Server API need: CORS, and JSON sent as `text/plain`.

LangGraph Studio and the JS SDK post some bodies (`/assistants/search`, ...) as `text/plain`
to skip a CORS preflight; the Agent Server reads them as JSON, so we do too: a `text/plain`
body is handed on labelled `application/json` (and so goes through the JSON depth check).
Signed webhooks are left alone: they read their raw bytes themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["EXPOSED_HEADERS", "PlainTextJsonMiddleware", "install_cors"]

EXPOSED_HEADERS = ("content-location", "x-pagination-total")
"""Response headers a browser client may read: where a new run lives, a search's total."""
_WEBHOOKS = "/webhooks/"


class PlainTextJsonMiddleware:
    """Relabels a `text/plain` request body as `application/json` (outside the webhooks)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Rewrite the content-type header, then call the app."""
        if scope["type"] == "http" and not scope["path"].startswith(_WEBHOOKS):
            headers = [
                (name, b"application/json" if _is_plain_text(name, value) else value)
                for name, value in scope["headers"]
            ]
            scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)


def _is_plain_text(name: bytes, value: bytes) -> bool:
    return name.lower() == b"content-type" and value.split(b";")[0].strip().lower() == b"text/plain"


def install_cors(app: FastAPI, origins: Sequence[str]) -> None:
    """Let `origins` call the API from a browser, reading `EXPOSED_HEADERS`; none: no CORS."""
    if not origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(origins),
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=list(EXPOSED_HEADERS),
    )
