"""The loopback redirect of a local install's OAuth flow (RFC 8252, section 7.3).

A one-shot HTTP server on 127.0.0.1 and a free port receives the browser coming back from
the consent screen, answers a short page and hands the query (code, state or error) to the
command waiting for it.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import parse_qs, urlsplit

from sales_agent.errors import SalesAgentError

__all__ = ["LoopbackRedirect"]

_PAGE = b"<!doctype html><title>sales-agent</title><p>Done: return to the terminal.</p>"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        if "state" not in query:  # a favicon or a stray request: not the redirect
            self.send_error(404)
            return
        self.server.received = {key: values[0] for key, values in query.items()}
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(_PAGE)))
        self.end_headers()
        self.wfile.write(_PAGE)
        self.server.done.set()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the query holds the code, which must not reach a terminal log."""


class _Server(HTTPServer):
    received: dict[str, str] | None = None
    done: threading.Event


class LoopbackRedirect:
    """Listen on 127.0.0.1 for one redirect for the duration of a `with` block."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.done = threading.Event()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def redirect_uri(self) -> str:
        """The URI to register as the redirect (a loopback IP with any port, as Google allows)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait(self, timeout: float) -> dict[str, str]:
        """The redirect's query parameters; an error when none came within `timeout` seconds."""
        if not self._server.done.wait(timeout) or self._server.received is None:
            raise SalesAgentError(
                f"no answer from the consent screen within {timeout:.0f} s: open the URL in a "
                "browser on this machine and approve, or pass a longer --timeout",
                code="consent_timeout",
            )
        return self._server.received
