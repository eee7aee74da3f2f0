"""The trace id of the work in progress: a request, and the run it starts, share one.

The server's middleware opens a `trace_scope` per request (from `traceparent` or
`X-Request-ID`, else a new id); whoever enqueues a run stores `current_trace_id()` on it, and
the worker opens `trace_scope(run.trace_id)` around the run, so its log lines carry the id of
the request that caused them. A context variable follows threads started with a copied
context (`run_in_threadpool`, `asyncio.to_thread`) and asyncio tasks.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["current_trace_id", "new_trace_id", "trace_id_from_headers", "trace_scope"]

_TRACE_ID: ContextVar[str | None] = ContextVar("sales_agent_trace_id", default=None)

# W3C Trace Context: version-traceid-parentid-flags, lowercase hex; an all-zero id is invalid.
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-(?P<trace>[0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")
# A caller's request id is echoed in logs and headers: keep it short and printable.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:/+=-]{1,128}$")


def new_trace_id() -> str:
    """A fresh id in the W3C trace-id form (32 lowercase hex digits)."""
    return uuid.uuid4().hex


def trace_id_from_headers(traceparent: str | None, request_id: str | None) -> str:
    """The trace id a request carries: `traceparent`'s, else `X-Request-ID`, else a new one.

    A malformed header is ignored rather than refused: tracing must never fail a request.
    """
    if traceparent:
        match = _TRACEPARENT.match(traceparent.strip().lower())
        if match and match["trace"] != "0" * 32:
            return match["trace"]
    if request_id and _REQUEST_ID.match(request_id.strip()):
        return request_id.strip()
    return new_trace_id()


def current_trace_id() -> str | None:
    """The trace id of the work in progress, or None outside any request or traced run."""
    return _TRACE_ID.get()


@contextmanager
def trace_scope(trace_id: str | None = None) -> Iterator[str]:
    """Make `trace_id` (a new one when None) current until the block ends; yield it."""
    value = trace_id or new_trace_id()
    token = _TRACE_ID.set(value)
    try:
        yield value
    finally:
        _TRACE_ID.reset(token)
