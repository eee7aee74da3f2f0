"""The body limit reads a declared length only when it is one (ASCII digits), never fails."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.types import Message, Receive, Scope, Send

from sales_agent.server.body_limit import BodyLimitMiddleware


@pytest.mark.parametrize(
    ("declared", "status"), [(b"\xb2", 204), (b"12a", 204), (b"-1", 204), (b"1" * 5000, 413)]
)
def test_a_malformed_content_length_is_left_to_the_count(declared: bytes, status: int) -> None:
    reached: list[Scope] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append(scope)
        await receive()
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/threads",
        "headers": [(b"content-length", declared)],
    }
    # On a thread of its own: an earlier test may have left this thread's event loop running.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(
            asyncio.run, BodyLimitMiddleware(app, max_bytes=1024)(scope, receive, send)
        ).result()
    assert sent[0]["status"] == status
    assert bool(reached) == (status == 204)  # a length over the limit never reaches the app
