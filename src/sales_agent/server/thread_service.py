"""Thread API logic over the compiled graph and the pool: threads, their state, sync runs.

Runs started here (`wait`, and `stream` in `streaming.py`) execute the sync graph in a
worker thread of this process (the Google and HubSpot clients are sync); background runs go
through the job queue (`run_service.py`). Either way a run is a row of `runs`, and a thread
runs one at a time: a thread with an active run, or whose advisory lock is held, is busy
(409).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi.encoders import jsonable_encoder
from langchain_core.runnables import RunnableConfig
from langgraph.errors import InvalidUpdateError
from langgraph.types import StateSnapshot
from psycopg.rows import DictRow
from pydantic import ValidationError

from sales_agent.db.agent_threads import (
    delete_thread,
    get_thread,
    insert_thread,
    merge_metadata,
    search_threads,
    touch_thread,
)
from sales_agent.graph.followup import GRAPH_ID
from sales_agent.graph.state import FollowupState
from sales_agent.jobs.followup_runs import FollowupGraph, checkpointer
from sales_agent.jobs.run_rows import RunStatus, active_run, finish_run, get_run, insert_run
from sales_agent.jobs.thread_lock import ThreadBusyError, try_hold_thread
from sales_agent.server.errors import ApiError
from sales_agent.server.live_runs import LiveRuns
from sales_agent.server.run_request import RunRequest, validate_run
from sales_agent.server.schemas import (
    RunCreate,
    ThreadCreate,
    ThreadHistory,
    ThreadPatch,
    ThreadSearch,
    ThreadStateUpdate,
)
from sales_agent.server.snapshots import interrupts_json, state_json
from sales_agent.services import Services

__all__ = ["ThreadService"]

logger = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _config(thread_id: str, checkpoint_id: str | None = None) -> RunnableConfig:
    configurable = {"thread_id": thread_id}
    if checkpoint_id:
        configurable["checkpoint_id"] = checkpoint_id
    return {"configurable": configurable}


def _require_full_state(values: Any) -> None:
    """A thread's first checkpoint is all of its state: refuse values that are not a state.

    The graph would store them, and every later read of the thread would fail validating them.
    """
    try:
        FollowupState.model_validate(values)
    except ValidationError as exc:
        raise ApiError(
            422, "invalid_update", f"the thread has no state yet, so values must be one: {exc}"
        ) from None


def _holds(values: dict[str, Any], wanted: dict[str, Any]) -> bool:
    # The Agent Server's `values` filter: each named top-level value equals the one asked for.
    encoded = jsonable_encoder(wanted)
    return all(key in values and values[key] == value for key, value in encoded.items())


class ThreadService:
    """Threads and synchronous runs of the follow-up graph."""

    def __init__(self, services: Services, graph: FollowupGraph) -> None:
        self._services = services
        self._graph = graph
        self.live = LiveRuns()
        """Runs this process streams, for rejoin and cancel."""

    @property
    def graph(self) -> FollowupGraph:
        """The compiled follow-up graph (with the Postgres checkpointer)."""
        return self._graph

    @property
    def services(self) -> Services:
        """The process's services."""
        return self._services

    def snapshot(self, thread_id: str, checkpoint_id: str | None = None) -> StateSnapshot:
        """The thread's state (at `checkpoint_id`, else its latest)."""
        return self._graph.get_state(_config(thread_id, checkpoint_id))

    # Threads

    def create_thread(self, body: ThreadCreate) -> dict[str, Any]:
        """POST /threads."""
        thread_id = body.thread_id or str(uuid.uuid4())
        with self._services.pool.connection() as conn:
            row = insert_thread(conn, thread_id=thread_id, metadata=body.metadata)
        if row is None and body.if_exists == "raise":
            raise ApiError(409, "thread_exists", f"thread {thread_id} already exists")
        return self.get_thread(thread_id)

    def require(self, thread_id: str) -> dict[str, Any]:
        """The thread's registry row; 404 when it has neither a row nor a checkpoint."""
        with self._services.pool.connection() as conn:
            row = get_thread(conn, thread_id=thread_id)
        if row is None and not self.snapshot(thread_id).values:
            raise ApiError(404, "thread_not_found", f"thread {thread_id} does not exist")
        return dict(row) if row else {"thread_id": thread_id, "metadata": {}}

    def _thread_json(self, row: dict[str, Any]) -> dict[str, Any]:
        thread_id = row["thread_id"]
        snap = self.snapshot(thread_id)
        with self._services.pool.connection() as conn:
            busy = active_run(conn, thread_id=thread_id) is not None
        created = row.get("created_at") or snap.created_at or _now()
        thread: dict[str, Any] = jsonable_encoder(
            {
                "thread_id": thread_id,
                "created_at": created,
                "updated_at": row.get("updated_at") or snap.created_at or created,
                "metadata": row.get("metadata") or {},
                "status": "busy" if busy else "interrupted" if snap.interrupts else "idle",
                "values": snap.values or {},
                "interrupts": {
                    task.id: interrupts_json(task.interrupts)
                    for task in snap.tasks
                    if task.interrupts
                },
            }
        )
        return thread

    def get_thread(self, thread_id: str) -> dict[str, Any]:
        """GET /threads/{id}: with its status (`idle`, `busy` or `interrupted`) and values."""
        return self._thread_json(self.require(thread_id))

    def search_threads(self, body: ThreadSearch) -> tuple[int, list[dict[str, Any]]]:
        """POST /threads/search: how many threads match, and the page asked for."""
        with self._services.pool.connection() as conn:
            rows = search_threads(conn, metadata=body.metadata, ids=body.ids)
        threads = (self._thread_json(dict(row)) for row in rows)
        matching = [
            t
            for t in threads
            if body.status in (None, t["status"]) and _holds(t["values"] or {}, body.values)
        ]
        return len(matching), matching[body.offset : body.offset + body.limit]

    def patch_thread(self, thread_id: str, body: ThreadPatch) -> dict[str, Any]:
        """PATCH /threads/{id}: merge metadata into the thread's."""
        self.require(thread_id)
        with self._services.pool.connection() as conn:
            merge_metadata(conn, thread_id=thread_id, metadata=body.metadata)
        return self.get_thread(thread_id)

    def delete_thread(self, thread_id: str) -> None:
        """DELETE /threads/{id}: its checkpoints and registry row (409 while a run is on it)."""
        self.require(thread_id)
        with self.run_slot(thread_id):
            checkpointer(self._services).delete_thread(thread_id)
            with self._services.pool.connection() as conn:
                delete_thread(conn, thread_id=thread_id)

    def state(self, thread_id: str, checkpoint_id: str | None = None) -> dict[str, Any]:
        """GET /threads/{id}/state[/{checkpoint_id}]."""
        self.require(thread_id)
        snap = self.snapshot(thread_id, checkpoint_id)
        if checkpoint_id and not snap.values:
            raise ApiError(404, "checkpoint_not_found", f"no checkpoint {checkpoint_id}")
        return state_json(snap)

    def history(self, thread_id: str, body: ThreadHistory) -> list[dict[str, Any]]:
        """POST /threads/{id}/history: states newest first."""
        self.require(thread_id)
        before = body.before
        if isinstance(before, dict):
            # A checkpoint (`{checkpoint_id}`), or a config that holds one under `configurable`.
            before = before.get("checkpoint_id") or before.get("configurable", {}).get(
                "checkpoint_id"
            )
        snaps = self._graph.get_state_history(
            _config(thread_id),
            filter=body.metadata,
            before=_config(thread_id, before) if before else None,
            limit=body.limit,
        )
        return [state_json(snap) for snap in snaps]

    def update_state(self, thread_id: str, body: ThreadStateUpdate) -> dict[str, Any]:
        """POST /threads/{id}/state: a new checkpoint with `values` as `as_node` wrote them."""
        self.require(thread_id)
        if not self.snapshot(thread_id).values:
            _require_full_state(body.values)
        with self.run_slot(thread_id):
            try:
                config = self._graph.update_state(
                    _config(thread_id, body.checkpoint_id), body.values, as_node=body.as_node
                )
            except (InvalidUpdateError, ValidationError, ValueError) as exc:
                raise ApiError(422, "invalid_update", str(exc)) from None
        return {"checkpoint": jsonable_encoder(config.get("configurable", {}))}

    # Runs

    def prepare(self, thread_id: str, body: RunCreate) -> RunRequest:
        """Validate a run for `thread_id`: its body, and the thread (unless it may be created)."""
        request = validate_run(body)
        if body.if_not_exists == "reject":
            self.require(thread_id)
        if request.continues and not self.snapshot(thread_id, request.checkpoint_id).next:
            # Nothing to carry on from: without this the graph would silently do nothing.
            raise ApiError(
                422,
                "invalid_run",
                f"thread {thread_id} has no step left to run from that checkpoint: send input "
                "(a trigger) or command.resume, or fork from an earlier checkpoint",
            )
        return request

    def ensure_idle(self, thread_id: str) -> None:
        """409 when a run is pending or running on the thread."""
        with self._services.pool.connection() as conn:
            run = active_run(conn, thread_id=thread_id)
        if run is not None:
            raise ApiError(
                409, "thread_busy", f"run {run['run_id']} is {run['status']} on thread {thread_id}"
            )

    @contextmanager
    def run_slot(self, thread_id: str) -> Iterator[None]:
        """Hold the thread for one run: 409 if a run is active on it or holds its lock."""
        self.ensure_idle(thread_id)
        try:
            with try_hold_thread(self._services, thread_id):
                yield
        except ThreadBusyError as exc:
            raise ApiError(409, "thread_busy", str(exc)) from None

    def record_run(
        self, thread_id: str, assistant_id: str, request: RunRequest, body: RunCreate
    ) -> str:
        """A `runs` row for a run this process executes now (status running)."""
        run_id = str(uuid.uuid4())
        with self._services.pool.connection() as conn:
            touch_thread(conn, thread_id=thread_id, graph_id=GRAPH_ID, assistant_id=assistant_id)
            insert_run(
                conn,
                run_id=run_id,
                thread_id=thread_id,
                assistant_id=assistant_id,
                kind=request.kind,
                status="running",
                input=request.graph_input,
                command=request.command,
                context=request.context_json,
                metadata=body.metadata,
            )
        return run_id

    def run_row(self, thread_id: str, run_id: str) -> DictRow | None:
        """A run's row on the thread, or None."""
        with self._services.pool.connection() as conn:
            return get_run(conn, run_id=run_id, thread_id=thread_id)

    def finish(self, run_id: str, thread_id: str, error: dict[str, str] | None) -> None:
        """Record how a run this process executed ended (unless a cancel stopped it)."""
        status: RunStatus = "error"
        if error is None:
            status = "interrupted" if self.snapshot(thread_id).interrupts else "success"
        with self._services.pool.connection() as conn:
            finish_run(
                conn, run_id=run_id, status=status, error=error["message"] if error else None
            )
