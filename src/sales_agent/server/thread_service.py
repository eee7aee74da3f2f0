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
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi.encoders import jsonable_encoder
from langchain_core.runnables import RunnableConfig
from langgraph.errors import InvalidUpdateError
from langgraph.types import StateSnapshot
from pydantic import ValidationError

from sales_agent.db.agent_threads import get_thread, insert_thread, search_threads, touch_thread
from sales_agent.domain.approval import InvalidResumeError, parse_resume
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.state import FollowupInput, FollowupState
from sales_agent.jobs.execute import CONTEXT, advance
from sales_agent.jobs.followup_runs import FollowupGraph
from sales_agent.jobs.run_rows import RunKind, RunStatus, active_run, finish_run, insert_run
from sales_agent.jobs.thread_lock import ThreadBusyError, try_hold_thread
from sales_agent.server.errors import ApiError
from sales_agent.server.schemas import (
    RunCreate,
    ThreadCreate,
    ThreadHistory,
    ThreadSearch,
    ThreadStateUpdate,
)
from sales_agent.server.snapshots import interrupts_json, state_json, values_json
from sales_agent.services import Services

__all__ = ["RunRequest", "ThreadService"]

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


def error_json(exc: BaseException) -> dict[str, str]:
    """A run's error as the platform reports it."""
    return {"error": type(exc).__name__, "message": str(exc)}


@dataclass(frozen=True)
class RunRequest:
    """A validated run: what to do (start or resume) and with which context."""

    kind: RunKind
    graph_input: dict[str, Any] | None
    command: dict[str, Any] | None
    context: FollowupContext
    context_json: dict[str, Any]


class ThreadService:
    """Threads and synchronous runs of the follow-up graph."""

    def __init__(self, services: Services, graph: FollowupGraph) -> None:
        self._services = services
        self._graph = graph

    @property
    def graph(self) -> FollowupGraph:
        """The compiled follow-up graph (with the Postgres checkpointer)."""
        return self._graph

    @property
    def services(self) -> Services:
        """The process's services."""
        return self._services

    def _snapshot(self, thread_id: str, checkpoint_id: str | None = None) -> StateSnapshot:
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
        if row is None and not self._snapshot(thread_id).values:
            raise ApiError(404, "thread_not_found", f"thread {thread_id} does not exist")
        return dict(row) if row else {"thread_id": thread_id, "metadata": {}}

    def _thread_json(self, row: dict[str, Any]) -> dict[str, Any]:
        thread_id = row["thread_id"]
        snap = self._snapshot(thread_id)
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
                "values": snap.values or None,
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

    def search_threads(self, body: ThreadSearch) -> list[dict[str, Any]]:
        """POST /threads/search."""
        with self._services.pool.connection() as conn:
            rows = search_threads(conn, metadata=body.metadata, ids=body.ids)
        threads = (self._thread_json(dict(row)) for row in rows)
        matching = [t for t in threads if body.status in (None, t["status"])]
        return matching[body.offset : body.offset + body.limit]

    def state(self, thread_id: str, checkpoint_id: str | None = None) -> dict[str, Any]:
        """GET /threads/{id}/state[/{checkpoint_id}]."""
        self.require(thread_id)
        snap = self._snapshot(thread_id, checkpoint_id)
        if checkpoint_id and not snap.values:
            raise ApiError(404, "checkpoint_not_found", f"no checkpoint {checkpoint_id}")
        return state_json(snap)

    def history(self, thread_id: str, body: ThreadHistory) -> list[dict[str, Any]]:
        """POST /threads/{id}/history: states newest first."""
        self.require(thread_id)
        before = body.before
        if isinstance(before, dict):
            before = before.get("checkpoint_id")
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
        if not self._snapshot(thread_id).values:
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

    def validate_run(self, body: RunCreate) -> RunRequest:
        """Check a run's input or command and its context; 422 with the reason otherwise."""
        if body.command is not None and body.input is not None:
            raise ApiError(422, "invalid_run", "send either input or command, not both")
        context = self._context(body)
        if body.command is not None:
            # Validated here: once delivered, a resume value sticks to the interrupt.
            try:
                parse_resume(body.command.resume)
            except InvalidResumeError as exc:
                raise ApiError(422, "invalid_resume", str(exc)) from None
            command = {"resume": body.command.resume}
            return RunRequest("resume", None, command, context, body.context or {})
        if body.input is None:
            raise ApiError(422, "invalid_run", "a run needs input (a trigger) or a command")
        try:
            graph_input = FollowupInput.model_validate(body.input)
        except ValidationError as exc:
            raise ApiError(422, "invalid_input", str(exc)) from None
        as_json = graph_input.model_dump(mode="json", exclude_none=True)
        return RunRequest("start", as_json, None, context, body.context or {})

    def _context(self, body: RunCreate) -> FollowupContext:
        try:
            return CONTEXT.validate_python(body.context or {})
        except ValidationError as exc:
            raise ApiError(422, "invalid_context", str(exc)) from None

    def prepare(self, thread_id: str, body: RunCreate) -> RunRequest:
        """Validate a run for `thread_id`: its body, and the thread (unless it may be created)."""
        request = self.validate_run(body)
        if body.if_not_exists == "reject":
            self.require(thread_id)
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
            touch_thread(conn, thread_id=thread_id)
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

    def finish(self, run_id: str, thread_id: str, error: dict[str, str] | None) -> None:
        """Record how a run this process executed ended."""
        status: RunStatus = "error"
        if error is None:
            status = "interrupted" if self._snapshot(thread_id).interrupts else "success"
        with self._services.pool.connection() as conn:
            finish_run(
                conn, run_id=run_id, status=status, error=error["message"] if error else None
            )

    def wait(
        self, thread_id: str, body: RunCreate, *, assistant_id: str | None = None
    ) -> dict[str, Any]:
        """POST /threads/{id}/runs/wait: run until the graph stops; return its values.

        Blocking: it runs the graph on the calling thread (a route's thread-pool thread).
        """
        request = self.prepare(thread_id, body)
        with self.run_slot(thread_id):
            run_id = self.record_run(thread_id, assistant_id or body.assistant_id, request, body)
            error = self._invoke(thread_id, request)
            self.finish(run_id, thread_id, error)
        return values_json(self._snapshot(thread_id), error)

    def _invoke(self, thread_id: str, request: RunRequest) -> dict[str, str] | None:
        """Run the graph; an error inside a node is reported, not raised (as the platform)."""
        try:
            advance(
                self._graph,
                thread_id=thread_id,
                kind=request.kind,
                graph_input=request.graph_input,
                command=request.command,
                context=request.context,
            )
        except Exception as exc:  # the run failed: the client gets the error in the body
            logger.exception("run on thread %s failed", thread_id)
            return error_json(exc)
        return None
