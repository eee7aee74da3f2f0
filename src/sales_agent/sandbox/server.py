"""Running the sandbox: in a background thread for tests and demos, or blocking for the CLI."""

from __future__ import annotations

import logging
import socket
import threading
import time
from datetime import datetime
from types import TracebackType
from typing import Self, cast

import uvicorn

from sales_agent.errors import SalesAgentError
from sales_agent.sandbox.app import create_app
from sales_agent.sandbox.workspace import Workspace

__all__ = ["SandboxServer", "run_sandbox"]

LOOPBACK = "127.0.0.1"
_THREAD = "sandbox"


class _QuietSandbox(logging.Filter):
    """Keeps only warnings and errors of the uvicorn that runs on a sandbox thread.

    uvicorn logs through process-wide loggers; this filter quiets the sandbox's access, start
    and stop lines without touching the levels the process set for its own server.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a sandbox thread's record below WARNING."""
        return record.levelno >= logging.WARNING or record.threadName != _THREAD


_QUIET_SANDBOX = _QuietSandbox()


class SandboxServer:
    """A sandbox on a free loopback port for the duration of a `with` block.

    >>> with SandboxServer() as sandbox:  # doctest: +SKIP
    ...     build_connectors(settings, sandbox.url)
    """

    def __init__(
        self,
        *,
        host: str = LOOPBACK,
        port: int = 0,
        started_at: datetime | None = None,
        startup_timeout: float = 10.0,
        scale: int = 0,
    ) -> None:
        self._host = host
        self._port = port
        self._startup_timeout = startup_timeout
        self.app = create_app(Workspace.from_seed(started_at, scale=scale))
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL, without a trailing slash."""
        return f"http://{self._host}:{self._port}"

    @property
    def workspace(self) -> Workspace:
        """The live workspace (replaced by each reset); read it between requests only."""
        return cast(Workspace, self.app.state.workspace)

    def start(self) -> None:
        """Bind, serve in a daemon thread, and return once requests are accepted."""
        # Binding here (not in uvicorn) makes port 0 usable and the URL known before serving.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self._host, self._port))
        except OSError as exc:
            sock.close()
            raise SalesAgentError(
                f"the sandbox cannot listen on {self._host}:{self._port} ({exc.strerror}); "
                "pick another port, or 0 for any free one",
                code="sandbox_start_failed",
            ) from exc
        self._port = sock.getsockname()[1]
        # No log_config, no log_level and access_log left on: each would otherwise configure
        # the process's `uvicorn.*` loggers (levels, handlers, propagation) for everyone,
        # `serve`'s access log included. The filter quiets the sandbox's own lines instead.
        config = uvicorn.Config(self.app, log_config=None, log_level=None, lifespan="off")
        for name in ("uvicorn.error", "uvicorn.access"):
            logging.getLogger(name).addFilter(_QUIET_SANDBOX)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=_THREAD, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + self._startup_timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise SalesAgentError(
                    f"the sandbox did not start on {self.url} within {self._startup_timeout}s; "
                    "check that the port is free",
                    code="sandbox_start_failed",
                )
            time.sleep(0.01)

    def stop(self) -> None:
        """Ask uvicorn to finish in-flight requests and wait for the thread."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def run_sandbox(host: str = LOOPBACK, port: int = 8765, *, scale: int = 0) -> None:
    """Serve a freshly seeded sandbox until interrupted (`sales-agent sandbox [--scale N]`)."""
    app = create_app(Workspace.from_seed(scale=scale))
    uvicorn.run(app, host=host, port=port, log_level="info")
