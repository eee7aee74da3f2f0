"""The sandbox's request log: every emulated API call, in order, for benchmarks and tests.

A benchmark counts the external calls a run makes (the log's length before and after it);
a test proves a resumed index did not fetch again what it had (the paths it asked for). Only
API calls are logged, never the sandbox's own /_sandbox routes; the log keeps the latest
`LOG_LIMIT` calls so a long load cannot grow it without bound.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast

from fastapi import Request, Response

from sales_agent.sandbox._faults import ADMIN_PREFIX

__all__ = ["LOG_LIMIT", "RequestLog", "log_requests"]

LOG_LIMIT = 200_000


@dataclass
class _Logged:
    """One call; `started` and `ended` on the sandbox process's monotonic clock, in seconds."""

    method: str
    path: str
    query: str
    started: float
    ended: float | None = None


class RequestLog:
    """Requests seen so far; `total` counts them all, the deque keeps the latest."""

    def __init__(self, limit: int = LOG_LIMIT) -> None:
        self._entries: deque[_Logged] = deque(maxlen=limit)
        self.total = 0

    def add(self, method: str, path: str, query: str) -> _Logged:
        """Record one request as it starts (the event loop serves them one at a time)."""
        entry = _Logged(method, path, query, time.monotonic())
        self._entries.append(entry)
        self.total += 1
        return entry

    def clear(self) -> None:
        """Forget every request and restart the count."""
        self._entries.clear()
        self.total = 0

    def describe(self, since: int) -> dict[str, Any]:
        """The total, and the requests numbered `since` and after (those still kept)."""
        first_kept = self.total - len(self._entries)
        skip = max(since - first_kept, 0)
        kept = itertools.islice(self._entries, skip, None)
        return {
            "total": self.total,
            "requests": [vars(entry) for entry in kept],
        }


async def log_requests(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Log an API request and when it ended (HTTP middleware); faults still count as calls."""
    path = request.url.path
    if path.startswith(ADMIN_PREFIX):
        return await call_next(request)
    log = cast(RequestLog, request.app.state.requests)
    entry = log.add(request.method, path, request.url.query)
    try:
        return await call_next(request)
    finally:
        entry.ended = time.monotonic()
