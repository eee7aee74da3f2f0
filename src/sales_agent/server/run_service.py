"""Background runs of the thread API: queued for a worker, then read, joined or cancelled."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from fastapi.encoders import jsonable_encoder
from psycopg.rows import DictRow
from starlette.concurrency import run_in_threadpool

from sales_agent.jobs.enqueue import EnqueueError, enqueue_run
from sales_agent.jobs.run_cancel import cancel_run
from sales_agent.jobs.run_rows import ACTIVE, CancelAction, get_run, list_runs
from sales_agent.server.errors import DATABASE_UNAVAILABLE, ApiError
from sales_agent.server.schemas import RunCreate
from sales_agent.server.snapshots import values_json
from sales_agent.server.thread_service import ThreadService

__all__ = ["JOIN_TIMEOUT", "RunService", "run_json"]

logger = logging.getLogger(__name__)

JOIN_TIMEOUT = 600.0
"""How long `join` waits for a run before answering 408 (the client may join again)."""
_POLL = 0.2


def run_json(row: DictRow | dict[str, Any]) -> dict[str, Any]:
    """A run as langgraph-sdk's `Run`, plus its `error` and `attempts`."""
    run: dict[str, Any] = jsonable_encoder(
        {
            "run_id": row["run_id"],
            "thread_id": row["thread_id"],
            "assistant_id": row["assistant_id"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "status": row["status"],
            "metadata": row["metadata"],
            "multitask_strategy": "reject",
            "kwargs": {
                "input": row["input"],
                "command": row["command"],
                "context": row["context"],
            },
            "error": row["error"],
            "attempts": row["attempts"],
        }
    )
    return run


class RunService:
    """Runs executed by the job queue's workers."""

    def __init__(self, threads: ThreadService) -> None:
        self._threads = threads
        self._services = threads.services

    def create(self, thread_id: str, body: RunCreate, assistant_id: str) -> dict[str, Any]:
        """POST /threads/{id}/runs: queue the run; a worker executes it."""
        request = self._threads.prepare(thread_id, body)
        if request.checkpoint_id:
            # A queued run records no checkpoint: it always carries on from the latest.
            raise ApiError(
                422,
                "checkpoint_not_supported",
                "a background run starts from the thread's latest checkpoint: run from "
                "checkpoint_id with runs/stream or runs/wait, or fork first (POST "
                '/threads/{id}/state with as_node "__copy__") and run with no input',
            )
        self._threads.ensure_idle(thread_id)
        try:
            run_id = enqueue_run(
                self._services,
                thread_id=thread_id,
                kind=request.kind,
                input=request.graph_input,
                command=request.command,
                context=request.context_json,
                assistant_id=assistant_id,
                metadata=body.metadata,
            )
        except EnqueueError as exc:
            logger.warning("run on thread %s not queued: %s", thread_id, exc.message)
            raise ApiError(
                503, exc.code, f"{DATABASE_UNAVAILABLE}; nothing was queued, try again"
            ) from None
        return self.get(thread_id, run_id)

    def _find(self, thread_id: str, run_id: str) -> DictRow | None:
        with self._services.pool.connection() as conn:
            return get_run(conn, run_id=run_id, thread_id=thread_id)

    def _row(self, thread_id: str, run_id: str) -> DictRow:
        row = self._find(thread_id, run_id)
        if row is None:
            raise ApiError(404, "run_not_found", f"no run {run_id} on thread {thread_id}")
        return row

    async def _settled(self, thread_id: str, run_id: str) -> DictRow | None:
        """The run's row once it is no longer active; None once a rollback deleted it."""
        deadline = time.monotonic() + JOIN_TIMEOUT
        while True:
            row = await run_in_threadpool(self._find, thread_id, run_id)
            if row is None or row["status"] not in ACTIVE:
                return row
            if time.monotonic() > deadline:
                raise ApiError(408, "run_still_active", f"run {run_id} is {row['status']}")
            await asyncio.sleep(_POLL)

    def get(self, thread_id: str, run_id: str) -> dict[str, Any]:
        """GET /threads/{id}/runs/{run_id}."""
        return run_json(self._row(thread_id, run_id))

    def list(
        self, thread_id: str, *, limit: int, offset: int, status: str | None
    ) -> list[dict[str, Any]]:
        """GET /threads/{id}/runs: newest first."""
        self._threads.require(thread_id)
        with self._services.pool.connection() as conn:
            rows = list_runs(conn, thread_id=thread_id, status=status, limit=limit, offset=offset)
        return [run_json(row) for row in rows]

    async def join(self, thread_id: str, run_id: str) -> dict[str, Any]:
        """GET /threads/{id}/runs/{run_id}/join: wait for the run; the thread's values."""
        row = await self._settled(thread_id, run_id)
        if row is None:
            raise ApiError(404, "run_not_found", f"no run {run_id} on thread {thread_id}")
        snap = await run_in_threadpool(
            self._threads.graph.get_state, {"configurable": {"thread_id": thread_id}}
        )
        error = None
        if row["status"] == "error":
            error = {"error": "RunError", "message": row["error"] or "the run failed"}
        return values_json(snap, error)

    async def cancel(
        self, thread_id: str, run_id: str, *, action: CancelAction, wait: bool
    ) -> None:
        """POST /threads/{id}/runs/{run_id}/cancel.

        The request is recorded on the run: a queued run is settled at once and never
        starts; a running one (in a worker, or streamed by a server) stops at its next
        step boundary. `wait` returns once it has. Asking again for the same cancel is
        answered as the first time; a run that ended otherwise is 409.
        """
        outcome = await run_in_threadpool(cancel_run, self._services, thread_id, run_id, action)
        if not outcome.found:
            row = await run_in_threadpool(self._row, thread_id, run_id)
            if row["cancel_action"] != action:
                raise ApiError(409, "run_not_cancellable", f"run {run_id} is {row['status']}")
        elif wait and not outcome.settled:
            await self._settled(thread_id, run_id)
