"""`runs/stream` and its rejoin: a run executed here, its events sent as server-sent events.

Events, as langgraph-sdk reads them: `metadata` (`{"run_id", "attempt"}`) first, then the
requested modes' events (`run_events.py`), `error` if the run fails, and `end`. Every event
carries an `id`, so a client that lost the stream rejoins with `Last-Event-ID` and misses
nothing. The graph runs to its end on a thread of its own even if the client goes away, so
the run's row and the thread's lock are always settled; a cancel request on the run's row
(`jobs/run_cancel.py`, from any server process) stops it at the next step boundary, after a
checkpoint.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Generator
from contextlib import ExitStack, closing
from typing import Any, cast

from fastapi.responses import StreamingResponse
from langchain_core.runnables import RunnableConfig
from langgraph.types import Command, StateSnapshot
from psycopg.rows import DictRow
from starlette.concurrency import run_in_threadpool

from sales_agent.graph.state import FollowupInput
from sales_agent.jobs.run_cancel import RestorePoint, restore_point, settle_cancel, stop_check
from sales_agent.jobs.run_rows import CancelAction
from sales_agent.server.errors import ApiError
from sales_agent.server.live_runs import LiveRun
from sales_agent.server.run_events import EventTranslator, graph_modes
from sales_agent.server.run_request import RunRequest, error_json
from sales_agent.server.schemas import RunCreate
from sales_agent.server.snapshots import values_json
from sales_agent.server.thread_service import ThreadService

__all__ = ["rejoin_run", "run_location", "stream_run"]

# Producers outlive a client that went away; holding them keeps the loop from dropping them.
_PRODUCERS: set[asyncio.Task[None]] = set()
_JOIN_POLL = 0.2


def run_location(thread_id: str, run_id: str) -> str:
    """Where a run lives: the `Content-Location` of every route that creates one."""
    return f"/threads/{thread_id}/runs/{run_id}"


def _sse(index: int, event: str, data: Any) -> str:
    return f"id: {index}\nevent: {event}\ndata: {json.dumps(data)}\n\n"


def _config(thread_id: str, checkpoint_id: str | None = None) -> RunnableConfig:
    configurable = {"thread_id": thread_id}
    if checkpoint_id:
        configurable["checkpoint_id"] = checkpoint_id
    return {"configurable": configurable}


def _graph_input(
    request: RunRequest, existing: StateSnapshot
) -> FollowupInput | Command[Any] | None:
    if request.command is not None:
        return Command(resume=request.command["resume"])
    if request.continues or (existing.next and not existing.interrupts):
        return None  # a fork, or a run that died mid-way: carry on from the checkpoint
    return FollowupInput.model_validate(request.graph_input)


def _produce(
    threads: ThreadService,
    live: LiveRun,
    request: RunRequest,
    body: RunCreate,
    before: StateSnapshot,
    point: RestorePoint,
    slot: ExitStack,
) -> None:
    requested = [body.stream_mode] if isinstance(body.stream_mode, str) else body.stream_mode
    translator = EventTranslator(frozenset(requested))
    config = _config(live.thread_id, request.checkpoint_id)
    error: dict[str, str] | None = None
    cancelled: CancelAction | None = None
    stop = stop_check(threads.services, live.run_id)
    try:
        chunks = threads.graph.stream(
            _graph_input(request, before),
            config,
            context=request.context,
            stream_mode=graph_modes(requested),
            subgraphs=True,
        )
        with closing(cast("Generator[tuple[tuple[str, ...], str, Any]]", chunks)) as triples:
            for namespace, mode, chunk in triples:
                if namespace and not body.stream_subgraphs:
                    continue
                for event, data in translator.translate(namespace, mode, chunk):
                    live.publish(event, data)
                if mode == "checkpoints" and not namespace:
                    cancelled = stop()  # a step boundary: stop here if a cancel was asked
                    if cancelled is not None:
                        break
    except Exception as exc:  # the client gets an `error` event; the run row keeps it
        error = error_json(exc)
        live.publish("error", error)
    finally:
        try:
            if cancelled is not None:
                settle_cancel(threads.services, live.run_id, cancelled, point)
            else:
                threads.finish(live.run_id, live.thread_id, error)
        finally:
            slot.close()
            live.publish("end", None)
            live.finish()


def _start(
    threads: ThreadService, thread_id: str, body: RunCreate, assistant_id: str
) -> tuple[RunRequest, ExitStack, str, StateSnapshot, RestorePoint]:
    """Validate, take the thread and record the run (blocking: the database)."""
    request = threads.prepare(thread_id, body)
    slot = ExitStack()
    slot.enter_context(threads.run_slot(thread_id))  # 409 before any byte is sent
    try:
        before = threads.graph.get_state(_config(thread_id))
        point = restore_point(threads.services, thread_id)
        run_id = threads.record_run(thread_id, assistant_id, request, body)
    except BaseException:
        slot.close()
        raise
    return request, slot, run_id, before, point


def _events(live: LiveRun, after: int = -1) -> StreamingResponse:
    async def events() -> AsyncIterator[str]:
        async for index, event, data in live.follow(after):
            yield _sse(index, event, data)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Content-Location": run_location(live.thread_id, live.run_id)},
    )


async def stream_run(
    threads: ThreadService, thread_id: str, body: RunCreate, assistant_id: str
) -> StreamingResponse:
    """Validate, take the thread, start the run, and answer with its event stream."""
    request, slot, run_id, before, point = await run_in_threadpool(
        _start, threads, thread_id, body, assistant_id
    )
    live = threads.live.add(run_id, thread_id)
    live.publish("metadata", {"run_id": run_id, "attempt": 1})
    producer = asyncio.create_task(
        asyncio.to_thread(_produce, threads, live, request, body, before, point, slot)
    )
    _PRODUCERS.add(producer)
    producer.add_done_callback(_PRODUCERS.discard)
    return _events(live)


async def rejoin_run(
    threads: ThreadService, thread_id: str, run_id: str, last_event_id: str | None
) -> StreamingResponse:
    """GET /threads/{id}/runs/{run_id}/stream: the events after `last_event_id`.

    A run this process streams (or streamed lately) replays its events and follows them; a
    background run, whose worker keeps no events, is waited for and then sends the
    thread's final `values` (with `__interrupt__` or `__error__`) and `end`.
    """
    live = threads.live.get(thread_id, run_id)
    if live is not None:
        after = int(last_event_id) if last_event_id and last_event_id.isdigit() else -1
        return _events(live, after)
    row = await run_in_threadpool(threads.run_row, thread_id, run_id)
    if row is None:
        raise ApiError(404, "run_not_found", f"no run {run_id} on thread {thread_id}")

    async def events() -> AsyncIterator[str]:
        yield _sse(0, "metadata", {"run_id": run_id, "attempt": row["attempts"]})
        finished: DictRow | None = row
        while finished is not None and finished["status"] in ("pending", "running"):
            await asyncio.sleep(_JOIN_POLL)
            finished = await run_in_threadpool(threads.run_row, thread_id, run_id)
        snap = await run_in_threadpool(threads.graph.get_state, _config(thread_id))
        error = None
        if finished is not None and finished["status"] == "error":
            error = {"error": "RunError", "message": finished["error"] or "the run failed"}
        yield _sse(1, "values", values_json(snap, error))
        yield _sse(2, "end", None)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Content-Location": run_location(thread_id, run_id)},
    )
