"""The in-process sandbox leaves the process's logging alone (`serve` starts one inside).

uvicorn configures its loggers process-wide when given a level or a logging config; the
sandbox gives neither, so `serve`'s access log keeps its level, its handlers and its
propagation to the JSON handler while the sandbox runs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from sales_agent.sandbox import SandboxServer

LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


@pytest.fixture
def serve_logging() -> Iterator[None]:
    """uvicorn's loggers as `serve` sets them (INFO, through the root's handler)."""
    saved = [(name, logging.getLogger(name)) for name in LOGGERS]
    state = [(lg, lg.level, lg.handlers[:], lg.propagate, lg.filters[:]) for _, lg in saved]
    for _, lg in saved:
        lg.setLevel(logging.INFO)
        lg.handlers[:] = []
        lg.propagate = True
    yield
    for lg, level, handlers, propagate, filters in state:
        lg.setLevel(level)
        lg.handlers[:] = handlers
        lg.propagate = propagate
        lg.filters[:] = filters


def snapshot() -> list[tuple[str, int, list[logging.Handler], bool]]:
    return [
        (name, lg.level, lg.handlers[:], lg.propagate)
        for name, lg in ((name, logging.getLogger(name)) for name in LOGGERS)
    ]


def test_starting_the_sandbox_keeps_the_servers_access_log(
    serve_logging: None, caplog: pytest.LogCaptureFixture
) -> None:
    before = snapshot()
    with SandboxServer() as sandbox:
        assert sandbox.url.startswith("http://127.0.0.1:")
        assert snapshot() == before
        access = logging.getLogger("uvicorn.access")
        assert access.isEnabledFor(logging.INFO)
        with caplog.at_level(logging.INFO):
            access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET", "/health", "1.1", 200)
        assert [r.name for r in caplog.records] == ["uvicorn.access"]
        # The sandbox's own requests are not the server's: they stay out of its log.
        caplog.clear()
        with caplog.at_level(logging.INFO):
            assert httpx.get(f"{sandbox.url}/_sandbox/health").status_code == 200
        assert [r.getMessage() for r in caplog.records if r.name.startswith("uvicorn")] == []
    assert snapshot() == before
