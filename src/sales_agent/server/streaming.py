"""`runs/stream`: a run executed here, its chunks sent as server-sent events.

Events, as langgraph-sdk reads them: `metadata` (`{"run_id", "attempt"}`) first, then one
`values` or `updates` event per chunk of the requested modes, and `error` if the run fails.
The graph runs to its end on a thread of its own even if the client goes away, so the run's
row and the thread's lock are always settled.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import ExitStack
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import StreamingResponse
from langgraph.types import Command
from starlette.concurrency import run_in_threadpool

from sales_agent.graph.state import FollowupInput
from sales_agent.server.schemas import RunCreate, StreamMode
from sales_agent.server.thread_service import RunRequest, ThreadService, error_json

__all__ = ["stream_run"]

_DONE = None
Event = tuple[str, Any] | None
# Producers outlive a client that went away; holding them keeps the loop from dropping them.
_PRODUCERS: set[asyncio.Task[None]] = set()


def _sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def _graph_input(
    threads: ThreadService, thread_id: str, request: RunRequest
) -> FollowupInput | Command[Any] | None:
    if request.command is not None:
        return Command(resume=request.command["resume"])
    existing = threads.graph.get_state({"configurable": {"thread_id": thread_id}})
    if existing.next and not existing.interrupts:
        return None  # a run that died mid-way: carry on from its checkpoint
    return FollowupInput.model_validate(request.graph_input)


def _produce(
    threads: ThreadService,
    thread_id: str,
    run_id: str,
    request: RunRequest,
    modes: list[StreamMode],
    emit: Any,
    slot: ExitStack,
) -> None:
    error = None
    try:
        chunks = threads.graph.stream(
            _graph_input(threads, thread_id, request),
            {"configurable": {"thread_id": thread_id}},
            context=request.context,
            stream_mode=modes,
        )
        for mode, chunk in chunks:
            emit((mode, jsonable_encoder(chunk)))
    except Exception as exc:  # the client gets an `error` event; the run row keeps it
        error = error_json(exc)
        emit(("error", error))
    finally:
        try:
            threads.finish(run_id, thread_id, error)
        finally:
            slot.close()
            emit(_DONE)


def _start(
    threads: ThreadService, thread_id: str, body: RunCreate, assistant_id: str
) -> tuple[RunRequest, ExitStack, str]:
    """Validate, take the thread and record the run (blocking: the database)."""
    request = threads.prepare(thread_id, body)
    slot = ExitStack()
    slot.enter_context(threads.run_slot(thread_id))  # 409 before any byte is sent
    try:
        run_id = threads.record_run(thread_id, assistant_id, request, body)
    except BaseException:
        slot.close()
        raise
    return request, slot, run_id


async def stream_run(
    threads: ThreadService, thread_id: str, body: RunCreate, assistant_id: str
) -> StreamingResponse:
    """Validate, take the thread, start the run, and answer with its event stream."""
    modes = [body.stream_mode] if isinstance(body.stream_mode, str) else list(body.stream_mode)
    request, slot, run_id = await run_in_threadpool(_start, threads, thread_id, body, assistant_id)
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[Event] = asyncio.Queue()

    def emit(event: Event) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, event)

    producer = asyncio.create_task(
        asyncio.to_thread(_produce, threads, thread_id, run_id, request, modes, emit, slot)
    )
    _PRODUCERS.add(producer)
    producer.add_done_callback(_PRODUCERS.discard)

    async def events() -> AsyncIterator[str]:
        yield _sse("metadata", {"run_id": run_id, "attempt": 1})
        while (event := await queue.get()) is not _DONE:
            yield _sse(*event)
        await producer

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Content-Location": f"/threads/{thread_id}/runs/{run_id}"},
    )
