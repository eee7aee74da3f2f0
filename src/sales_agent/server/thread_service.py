"""Thread API logic over the compiled graph and the pool.

State snapshots in the shape the LangGraph Agent Server returns, and runs that wait for the
graph to stop.

Runs execute the sync graph in a worker thread (the Google and HubSpot clients are sync);
a Postgres advisory lock per thread refuses a second run on a busy thread (409).
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi.encoders import jsonable_encoder
from langgraph.types import Command, StateSnapshot
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from sales_agent.db.agent_threads import get_thread, insert_thread, touch_thread
from sales_agent.graph.approval import InvalidResumeError, parse_resume
from sales_agent.graph.context import FollowupContext
from sales_agent.graph.runs import FollowupGraph
from sales_agent.graph.state import FollowupInput
from sales_agent.server.errors import ApiError
from sales_agent.server.schemas import RunCreate, ThreadCreate
from sales_agent.services import Services

__all__ = ["ThreadService"]

logger = logging.getLogger(__name__)

# Parses a JSON context (ISO strings for `now`) into the graph's context dataclass.
_CONTEXT = TypeAdapter(FollowupContext)

_TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext(%(key)s)) AS locked"
_UNLOCK = "SELECT pg_advisory_unlock(hashtext(%(key)s))"


def _now() -> str:
    return datetime.now(UTC).isoformat()


class ThreadService:
    """Threads and runs of the follow-up graph."""

    def __init__(self, services: Services, graph: FollowupGraph) -> None:
        self._services = services
        self._graph = graph

    def _snapshot(self, thread_id: str) -> StateSnapshot:
        return self._graph.get_state({"configurable": {"thread_id": thread_id}})

    def state(self, thread_id: str) -> dict[str, Any]:
        """GET /threads/{id}/state."""
        self._require(thread_id)
        snap = self._snapshot(thread_id)
        checkpoint = dict(snap.config.get("configurable", {})) if snap.config else {}
        parent = dict(snap.parent_config.get("configurable", {})) if snap.parent_config else None
        state: dict[str, Any] = jsonable_encoder(
            {
                "values": snap.values,
                "next": list(snap.next),
                "tasks": [
                    {
                        "id": task.id,
                        "name": task.name,
                        "interrupts": [{"value": i.value, "id": i.id} for i in task.interrupts],
                    }
                    for task in snap.tasks
                ],
                "interrupts": [{"value": i.value, "id": i.id} for i in snap.interrupts],
                "checkpoint": checkpoint or None,
                "metadata": snap.metadata or {},
                "created_at": snap.created_at,
                "parent_checkpoint": parent,
            }
        )
        return state

    def _status(self, snap: StateSnapshot) -> str:
        return "interrupted" if snap.interrupts else "idle"

    def create_thread(self, body: ThreadCreate) -> dict[str, Any]:
        """POST /threads."""
        thread_id = body.thread_id or str(uuid.uuid4())
        with self._services.pool.connection() as conn:
            row = insert_thread(conn, thread_id=thread_id, metadata=body.metadata)
        if row is None and body.if_exists == "raise":
            raise ApiError(409, "thread_exists", f"thread {thread_id} already exists")
        return self.get_thread(thread_id)

    def _require(self, thread_id: str) -> dict[str, Any]:
        with self._services.pool.connection() as conn:
            row = get_thread(conn, thread_id=thread_id)
        if row is None and not self._snapshot(thread_id).values:
            raise ApiError(404, "thread_not_found", f"thread {thread_id} does not exist")
        return dict(row) if row else {"thread_id": thread_id, "metadata": {}}

    def get_thread(self, thread_id: str) -> dict[str, Any]:
        """GET /threads/{id}."""
        row = self._require(thread_id)
        snap = self._snapshot(thread_id)
        created = row.get("created_at") or snap.created_at or _now()
        thread: dict[str, Any] = jsonable_encoder(
            {
                "thread_id": thread_id,
                "created_at": created,
                "updated_at": row.get("updated_at") or snap.created_at or created,
                "metadata": row.get("metadata") or {},
                "status": self._status(snap),
                "values": snap.values or None,
                "interrupts": {
                    task.id: [{"value": i.value, "id": i.id} for i in task.interrupts]
                    for task in snap.tasks
                    if task.interrupts
                },
            }
        )
        return thread

    def _graph_input(self, body: RunCreate) -> FollowupInput | Command[Any]:
        if body.command is not None and body.input is not None:
            raise ApiError(422, "invalid_run", "send either input or command, not both")
        if body.command is not None:
            # Validated here: once delivered, a resume value sticks to the interrupt.
            try:
                parse_resume(body.command.resume)
            except InvalidResumeError as exc:
                raise ApiError(422, "invalid_resume", str(exc)) from None
            return Command(resume=body.command.resume)
        if body.input is None:
            raise ApiError(422, "invalid_run", "a run needs input (a trigger) or a command")
        try:
            return FollowupInput.model_validate(body.input)
        except ValidationError as exc:
            raise ApiError(422, "invalid_input", str(exc)) from None

    def _context(self, body: RunCreate) -> FollowupContext:
        try:
            return _CONTEXT.validate_python(body.context or {})
        except ValidationError as exc:
            raise ApiError(422, "invalid_context", str(exc)) from None

    async def wait(self, thread_id: str, body: RunCreate) -> dict[str, Any]:
        """POST /threads/{id}/runs/wait: run until the graph stops; return its values."""
        graph_input = self._graph_input(body)
        context = self._context(body)
        if body.if_not_exists == "reject":
            self._require(thread_id)
        with self._services.pool.connection() as conn:
            touch_thread(conn, thread_id=thread_id)
            locked = conn.execute(_TRY_LOCK, {"key": thread_id}).fetchone()
            if not (locked and locked["locked"]):
                raise ApiError(409, "thread_busy", f"a run is in progress on thread {thread_id}")
            try:
                error = await run_in_threadpool(self._invoke, thread_id, graph_input, context)
            finally:
                conn.execute(_UNLOCK, {"key": thread_id})
        snap = self._snapshot(thread_id)
        values: dict[str, Any] = jsonable_encoder(snap.values)
        if snap.interrupts:
            values["__interrupt__"] = [{"value": i.value, "id": i.id} for i in snap.interrupts]
        if error is not None:
            values["__error__"] = error
        return values

    def _invoke(
        self, thread_id: str, graph_input: FollowupInput | Command[Any], context: FollowupContext
    ) -> dict[str, str] | None:
        """Run the graph; an error inside a node is reported, not raised (as the platform)."""
        try:
            self._graph.invoke(
                graph_input,
                {"configurable": {"thread_id": thread_id}},
                context=context,
            )
        except Exception as exc:  # the run failed: the client gets the error in the body
            logger.exception("run on thread %s failed", thread_id)
            return {"error": type(exc).__name__, "message": str(exc)}
        return None
